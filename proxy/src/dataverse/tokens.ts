/**
 * Server-to-server tokens for Dataverse (OAuth client credentials against Entra ID or the mock
 * issuer): cached until a minute before expiry, one request in flight however many callers wait.
 */
import type { UpstreamHttp } from "../upstream/http";

export interface TokenSource {
  token(): Promise<string>;
  /** Forget the cached token (after a 401). */
  invalidate(): void;
}

export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** `<dataverse url>/.default` */
  scope: string;
}

const EARLY_RENEWAL_MS = 60_000;

export class ClientCredentialsTokens implements TokenSource {
  private cached: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly credentials: ClientCredentials,
    private readonly http: UpstreamHttp,
  ) {}

  token(): Promise<string> {
    if (this.cached && this.cached.expiresAt - EARLY_RENEWAL_MS > Date.now()) return Promise.resolve(this.cached.value);
    this.pending ??= this.fetch().finally(() => (this.pending = null));
    return this.pending;
  }

  invalidate(): void {
    this.cached = null;
  }

  private async fetch(): Promise<string> {
    const form = new URLSearchParams({ grant_type: "client_credentials", client_id: this.credentials.clientId, client_secret: this.credentials.clientSecret, scope: this.credentials.scope });
    // Asking for a token again is harmless, so transport failures are retried.
    const { status, data } = await this.http.json<{ access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown }>({
      method: "POST",
      url: this.credentials.tokenUrl,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      idempotent: true,
    });
    if (status !== 200 || typeof data.access_token !== "string") {
      throw new Error(`The token endpoint refused client credentials (HTTP ${status}${typeof data.error === "string" ? `, ${data.error}` : ""})`);
    }
    const lifetime = typeof data.expires_in === "number" ? data.expires_in : Number(data.expires_in) || 300;
    this.cached = { value: data.access_token, expiresAt: Date.now() + lifetime * 1000 };
    return data.access_token;
  }
}
