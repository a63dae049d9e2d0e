/**
 * The proxy's one PhotoShelter session: sign in (email/password, a given session token, or an OAuth
 * refresh token), then switch into the organization (PhotoShelter keeps the current organization as
 * session state). Established once for all concurrent callers, renewed once when PhotoShelter says
 * the token is no longer valid. Nothing here ever leaves the proxy.
 */
import type { Logger } from "pino";
import type { ProxyConfig } from "../config";
import { ProxyError } from "../errors";
import { UpstreamHttp } from "../upstream/http";

type AuthHeaders = Record<string, string>;

export class PhotoShelterSession {
  private current: AuthHeaders | null = null;
  private pending: Promise<AuthHeaders> | null = null;
  private established = 0;
  private refreshToken: string | null;

  constructor(
    private readonly settings: ProxyConfig["photoShelter"],
    private readonly http: UpstreamHttp,
    private readonly log: Logger,
  ) {
    this.refreshToken = settings.credentials.kind === "oauth" ? settings.credentials.refreshToken : null;
  }

  /** Headers for a member call: the API key and the session credential. */
  headers(): Promise<AuthHeaders> {
    if (this.current) return Promise.resolve(this.current);
    this.pending ??= this.establish().finally(() => (this.pending = null));
    return this.pending;
  }

  /** Forgets the session the given headers belong to (only if it is still the current one). */
  invalidate(used: AuthHeaders): void {
    if (this.current === used) this.current = null;
  }

  /** Counts the sessions established so far: what PhotoShelter supports is verified again in a new one. */
  get generation(): number {
    return this.established;
  }

  get apiKeyHeader(): AuthHeaders {
    return { "x-ps-api-key": this.settings.apiKey };
  }

  private async establish(): Promise<AuthHeaders> {
    const credential = await this.signIn();
    const headers: AuthHeaders = { ...this.apiKeyHeader, ...credential };
    const org = await this.http.json<unknown>({
      method: "POST",
      url: `${this.settings.apiBase}/organization/authenticate`,
      headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ org_id: this.settings.orgId }).toString(),
      idempotent: true,
    });
    if (org.status !== 200) throw this.refused("organization sign-in", org.status);
    this.log.info({ upstream: "PhotoShelter", org: this.settings.orgId }, "PhotoShelter session established");
    this.current = headers;
    this.established += 1;
    return headers;
  }

  private async signIn(): Promise<AuthHeaders> {
    const credentials = this.settings.credentials;
    if (credentials.kind === "token") return { "x-ps-auth-token": credentials.token };
    if (credentials.kind === "password") {
      const { status, data } = await this.http.json<{ token?: string; data?: { token?: string; attributes?: { token?: string } } }>({
        method: "POST",
        url: `${this.settings.apiBase}/authenticate`,
        headers: { ...this.apiKeyHeader, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: credentials.email, password: credentials.password, mode: "token" }).toString(),
        idempotent: true,
      });
      const token = data.token ?? data.data?.token ?? data.data?.attributes?.token;
      if (status !== 200 || typeof token !== "string") throw this.refused("sign-in", status);
      return { "x-ps-auth-token": token };
    }
    const { status, data } = await this.http.json<{ access_token?: string; refresh_token?: string }>({
      method: "POST",
      url: `${this.settings.apiBase}/oauth/token`,
      headers: { ...this.apiKeyHeader, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: this.refreshToken ?? "",
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        redirect_uri: credentials.redirectUri,
      }).toString(),
      idempotent: true,
    });
    if (status !== 200 || typeof data.access_token !== "string") throw this.refused("OAuth token refresh", status);
    if (typeof data.refresh_token === "string") this.refreshToken = data.refresh_token;
    return { authorization: `Bearer ${data.access_token}` };
  }

  private refused(step: string, status: number): ProxyError {
    this.log.error({ upstream: "PhotoShelter", step, status }, "PhotoShelter refused the proxy's credentials");
    return new ProxyError("upstream_error", "The proxy could not sign in to PhotoShelter");
  }
}
