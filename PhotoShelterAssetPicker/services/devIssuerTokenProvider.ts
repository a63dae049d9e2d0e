import { TokenProvider, cachedTokens, tokenIn } from "./tokenProvider";

/**
 * Tokens from the development issuer (the mock's `POST /issuer/dev/sign-in`) for the signed-in
 * Dataverse user. Used wherever the proxy's config says `kind: "dev"` — the workbench and tests.
 */
export function devIssuerTokens(signInUrl: string, userId: string, fetchImpl: typeof fetch, now?: () => number): TokenProvider {
  return cachedTokens(async () => {
    const response = await fetchImpl(signInUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user: userId.replace(/[{}]/g, "").toLowerCase() }),
    });
    if (!response.ok) throw new Error(`Development sign-in failed with HTTP ${response.status}`);
    return tokenIn(await response.json(), 300, "Development sign-in returned no access_token");
  }, now);
}
