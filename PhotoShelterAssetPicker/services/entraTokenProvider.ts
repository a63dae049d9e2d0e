import { AuthWindow, AuthWindowError } from "./authWindow";
import { base64Url, createPkce } from "./pkce";
import { AcquiredToken, CachedTokenProvider, SignInRequiredError, tokenIn } from "./tokenProvider";

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

export class EntraTokenProvider extends CachedTokenProvider {
  private readonly crypto: Crypto;
  private readonly endpoint: string;

  constructor(
    private readonly settings: EntraSettings,
    now?: () => number,
  ) {
    super(now);
    this.crypto = settings.crypto ?? globalThis.crypto;
    this.endpoint = settings.authority.replace(/\/+$/, "") + "/oauth2/v2.0";
  }

  protected async acquire(): Promise<AcquiredToken> {
    try {
      return await this.authorize("silent");
    } catch (error) {
      if (error instanceof AuthWindowError || error instanceof SignInRequiredError) throw new SignInRequiredError();
      throw error;
    }
  }

  async signInInteractively(): Promise<void> {
    this.remember(await this.authorize("interactive"));
  }

  private async authorize(mode: "silent" | "interactive"): Promise<AcquiredToken> {
    const { clientId, scope, redirectUri } = this.settings;
    const pkce = await createPkce(this.crypto);
    const state = base64Url(this.crypto.getRandomValues(new Uint8Array(16)));
    const loginHint = await this.settings.loginHint();
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
    const url = `${this.endpoint}/authorize?${params.toString()}`;
    const landed = mode === "silent" ? await this.settings.authWindow.silent(url, redirectUri) : await this.settings.authWindow.interactive(url, redirectUri);

    const answer = redirectParams(landed);
    const error = answer.get("error");
    if (error) {
      if (INTERACTION_ERRORS.has(error)) throw new SignInRequiredError(answer.get("error_description") ?? error);
      throw new Error(`Entra sign-in failed: ${error}`);
    }
    if (answer.get("state") !== state) throw new Error("Entra sign-in answered with a different state; ignoring it");
    const code = answer.get("code");
    if (!code) throw new Error("Entra sign-in returned no authorization code");

    const response = await this.settings.fetch(`${this.endpoint}/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: clientId, grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: pkce.verifier, scope }).toString(),
    });
    const body = (await response.json()) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    const failure = `Entra token request failed: ${String(body.error ?? response.status)}`;
    if (!response.ok) throw new Error(failure);
    return tokenIn(body, 3600, failure);
  }
}
