import { logicalNameOf, signInRequestNames } from "../../solution/model/names";
import { createPkce } from "./pkce";
import { errorFrom, ProxyError } from "./proxyClient";
import { TokenProvider, cachedTokens, tokenIn } from "./tokenProvider";

/**
 * The proxy's own session token, proven through Dataverse: no second sign-in, no pop-up, no iframe,
 * no third-party cookie. The control creates a `psh_signinrequest` row as the signed-in user
 * (`context.webAPI`, which Dynamics authenticates with its own session) carrying the hash of a
 * 256-bit random verifier, then shows the proxy the row id and the verifier; the proxy checks the
 * row's creator, age and hash, deletes it and answers a short-lived token. Renewal is the same
 * handshake, shared by every caller waiting at that moment (cachedTokens).
 */
export function dataverseTokens(
  baseUrl: () => Promise<string>,
  webAPI: Pick<ComponentFramework.WebApi, "createRecord">,
  fetchImpl: typeof fetch,
  crypto: Crypto = globalThis.crypto,
  now?: () => number,
): TokenProvider {
  return cachedTokens(async () => {
    const { verifier, challenge } = await createPkce(crypto);
    // webAPI rejects with { errorCode, message }, e.g. for a user without the PhotoShelter User role.
    const row = await webAPI.createRecord(signInRequestNames.logicalName, { [logicalNameOf(signInRequestNames.columns.challenge)]: challenge }).catch((error: { message?: string }) => {
      throw new ProxyError(401, "sign_in_failed", `Dataverse refused the sign-in request: ${error?.message ?? ""}`);
    });
    const response = await fetchImpl(`${(await baseUrl()).replace(/\/+$/, "")}/v1/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ id: row.id.replace(/[{}]/g, ""), verifier }),
    });
    if (!response.ok) throw await errorFrom(response);
    return tokenIn(await response.json(), null, "Sign-in through Dataverse returned no token");
  }, now);
}
