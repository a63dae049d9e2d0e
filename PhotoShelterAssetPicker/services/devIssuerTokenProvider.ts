import { AcquiredToken, CachedTokenProvider, tokenIn } from "./tokenProvider";

/**
 * Tokens from the development issuer (the mock's `POST /issuer/dev/sign-in`) for the signed-in
 * Dataverse user. Used wherever the proxy's config says `kind: "dev"` — the workbench and tests.
 */
export class DevIssuerTokenProvider extends CachedTokenProvider {
  constructor(
    private readonly signInUrl: string,
    private readonly userId: string,
    private readonly fetchImpl: typeof fetch,
    now?: () => number,
  ) {
    super(now);
  }

  protected async acquire(): Promise<AcquiredToken> {
    const response = await this.fetchImpl(this.signInUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user: this.userId.replace(/[{}]/g, "").toLowerCase() }),
    });
    if (!response.ok) throw new Error(`Development sign-in failed with HTTP ${response.status}`);
    return tokenIn(await response.json(), 300, "Development sign-in returned no access_token");
  }
}
