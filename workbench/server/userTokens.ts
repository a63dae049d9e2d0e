/**
 * Dataverse tokens of the users signed in to the workbench, from the mock issuer's development
 * sign-in with the mock Dataverse as audience (in Dynamics the session cookie plays this part).
 * One token per user, reused until shortly before it expires.
 */
import { request } from "undici";

interface Cached {
  token: string;
  expiresAt: number;
}

const RENEW_BEFORE_MS = 60_000;

export class UserTokens {
  private readonly cache = new Map<string, Cached>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(private readonly mockUrl: string) {}

  async tokenFor(user: string): Promise<string> {
    const cached = this.cache.get(user);
    if (cached && cached.expiresAt - RENEW_BEFORE_MS > Date.now()) return cached.token;
    let pending = this.pending.get(user);
    if (!pending) {
      pending = this.signIn(user).finally(() => this.pending.delete(user));
      this.pending.set(user, pending);
    }
    return pending;
  }

  private async signIn(user: string): Promise<string> {
    const response = await request(`${this.mockUrl}/issuer/dev/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user, audience: this.mockUrl }),
    });
    const body = (await response.body.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown } | null;
    if (response.statusCode !== 200 || typeof body?.access_token !== "string") {
      throw new Error(`The mock issuer refused to sign in "${user}" (HTTP ${response.statusCode}).`);
    }
    const lifetime = typeof body.expires_in === "number" ? body.expires_in * 1000 : 5 * 60_000;
    this.cache.set(user, { token: body.access_token, expiresAt: Date.now() + lifetime });
    return body.access_token;
  }
}
