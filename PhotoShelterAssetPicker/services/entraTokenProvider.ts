import type { AuthWindow } from "./authWindow";
import { base64Url, createPkce } from "./pkce";
import { AcquiredToken, SignInRequiredError, TokenProvider, cachedTokens, tokenIn } from "./tokenProvider";

/**
 * Entra ID tokens for the proxy with the authorization-code flow and PKCE, the way MSAL.js does it for
 * a single-page app: first silently in a hidden iframe (`prompt=none` + the user's login hint, so no
 * second login inside Dynamics), and only when that needs interaction, in a pop-up the user opens with
 * a click. MSAL.js itself would add far more than the whole control to the bundle; this is the part of
 * it the control needs.
 */
export interface EntraSettings {
  /** e.g. https://login.microsoftonline.com/<tenant id> */
  authority: string;
  clientId: string;
  /** e.g. api://photoshelter-proxy/.default */
  scope: string;
  /** A page on the Dynamics origin registered as an SPA redirect URI of the app. */
  redirectUri: string;
  /** The user's UPN, so Entra picks the signed-in Dynamics account without asking. */
  loginHint: () => Promise<string | undefined>;
  authWindow: AuthWindow;
  fetch: typeof fetch;
  crypto?: Crypto;
}

/** Errors from Entra that mean "silent sign-in cannot work, ask the user". */
const INTERACTION_ERRORS = new Set(["interaction_required", "login_required", "consent_required", "account_selection_required"]);

/** Parameters of a redirect, from the fragment (response_mode=fragment) or the query. */
function redirectParams(href: string): URLSearchParams {
  const url = new URL(href);
  return new URLSearchParams(url.hash.length > 1 ? url.hash.slice(1) : url.search);
}

/** Entra ID tokens as a TokenProvider: silent first, and interactively after the user's click. */
export function entraTokens(settings: EntraSettings, now?: () => number): TokenProvider {
  const { clientId, scope, redirectUri, authWindow } = settings;
  const crypto = settings.crypto ?? globalThis.crypto;
  const endpoint = settings.authority.replace(/\/+$/, "") + "/oauth2/v2.0";

  async function authorize(mode: "silent" | "interactive"): Promise<AcquiredToken> {
    const pkce = await createPkce(crypto);
    const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
    const loginHint = await settings.loginHint();
    const params = new URLSearchParams({
      client_id: clientId,
      response_type: "code",
      response_mode: "fragment",
      redirect_uri: redirectUri,
      scope,
      state,
      code_challenge: pkce.challenge,
      code_challenge_method: "S256",
    });
    if (loginHint) params.set("login_hint", loginHint);
    if (mode === "silent") params.set("prompt", "none");
    const answer = redirectParams(await authWindow[mode](`${endpoint}/authorize?${params.toString()}`, redirectUri));
    const error = answer.get("error");
    if (error) {
      if (INTERACTION_ERRORS.has(error)) throw new SignInRequiredError(answer.get("error_description") ?? error);
      throw new Error(`Entra sign-in failed: ${error}`);
    }
    if (answer.get("state") !== state) throw new Error("Entra sign-in answered with a different state; ignoring it");
    const code = answer.get("code");
    if (!code) throw new Error("Entra sign-in returned no authorization code");

    const response = await settings.fetch(`${endpoint}/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: clientId, grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: pkce.verifier, scope }).toString(),
    });
    const body = (await response.json()) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    const failure = `Entra token request failed: ${String(body.error ?? response.status)}`;
    if (!response.ok) throw new Error(failure);
    return tokenIn(body, 3600, failure);
  }

  return cachedTokens(
    () =>
      authorize("silent").catch((error: unknown) => {
        // A window that brought no answer, or Entra asking for interaction: the user signs in from a click.
        throw error instanceof SignInRequiredError ? new SignInRequiredError() : error;
      }),
    now,
    () => authorize("interactive"),
  );
}
