/**
 * How the control gets a bearer token for the proxy: by default the proxy's own session token, proven
 * through Dataverse (dataverseTokens); an Entra ID token where an organization requires one (entraTokens);
 * locally, the mock issuer's development sign-in (devIssuerTokens). The proxy says which through
 * `GET /v1/config`, so the control needs no configuration of its own.
 */
import { sharedUntilFailure } from "./sharedUntilFailure";

export interface TokenProvider {
  getToken(signal?: AbortSignal): Promise<string>;
  /** Forget the cached token (the proxy answered 401 to `rejected`; a newer token than that is kept). */
  invalidate(rejected?: string): void;
  /**
   * Interactive sign-in, only for providers that can need one. It must run from a click: browsers
   * block pop-ups opened without a user gesture.
   */
  signInInteractively?(): Promise<void>;
}

/** Silent sign-in was not possible; the user has to click "Sign in" once. */
export class SignInRequiredError extends Error {
  constructor(message = "Sign-in required") {
    super(message);
    this.name = "SignInRequiredError";
  }
}

export interface AcquiredToken {
  token: string;
  /** Seconds from now. */
  expiresIn: number;
}

/** The token in a sign-in answer (OAuth's `access_token`, `expires_in` in seconds, else `expiresIn`); `failure` when it has none. */
export function tokenIn(body: { access_token?: unknown; expires_in?: unknown }, expiresIn: number | null, failure: string): AcquiredToken {
  const seconds = typeof body.expires_in === "number" ? body.expires_in : expiresIn;
  if (typeof body.access_token !== "string" || seconds === null) throw new Error(failure);
  return { token: body.access_token, expiresIn: seconds };
}

/** Renew a little before expiry (a minute, or a quarter of a short life) so a request never leaves with a token that dies in flight. */
const EXPIRY_MARGIN_MS = 60_000;

/** The shared acquisition, given up by this caller alone when its signal aborts. */
function until<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) abort();
    signal.addEventListener("abort", abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

/**
 * A TokenProvider that caches one token until shortly before it expires and shares one acquisition
 * between concurrent callers. `acquire` is that one shared acquisition, so it takes no caller's abort
 * signal; `interactive`, where a sign-in can need the user, keeps the token it gets the same way.
 */
export function cachedTokens(acquire: () => Promise<AcquiredToken>, now: () => number = Date.now, interactive?: () => Promise<AcquiredToken>): TokenProvider {
  let cached: { token: string; expiresAt: number } | null = null;
  let pending: Promise<string> | null = null;
  const remember = ({ token, expiresIn }: AcquiredToken) => {
    const lifetime = expiresIn * 1000;
    cached = { token, expiresAt: now() + Math.max(0, lifetime - Math.min(EXPIRY_MARGIN_MS, lifetime / 4)) };
    return token;
  };
  return {
    getToken(signal) {
      if (cached && cached.expiresAt > now()) return Promise.resolve(cached.token);
      pending ??= acquire()
        .then(remember)
        .finally(() => (pending = null));
      return until(pending, signal);
    },
    invalidate(rejected) {
      // Calls that failed together all report the same token: only the first renewal is needed.
      if (rejected === undefined || cached?.token === rejected) cached = null;
    },
    signInInteractively: interactive && (async () => void remember(await interactive())),
  };
}

/** `signIn` of `GET /v1/config`, as agreed with the proxy. */
export type SignInConfig = { kind: "dataverse" } | { kind: "entra"; authority: string; clientId: string; scope: string } | { kind: "dev"; signInUrl: string };

/** Reads the proxy's sign-in settings once (again after a failed read: proxy down), then hands every call to the provider they name. */
export function configuredTokens(loadConfig: () => Promise<SignInConfig>, create: (config: SignInConfig) => TokenProvider): TokenProvider {
  let provider: Promise<TokenProvider> | null = null;
  const resolve = sharedUntilFailure(() => (provider = loadConfig().then(create)));
  return {
    getToken: async (signal) => (await resolve()).getToken(signal),
    invalidate: (rejected) => void provider?.then((chosen) => chosen.invalidate(rejected), () => undefined),
    signInInteractively: async () => {
      await (await resolve()).signInInteractively?.();
    },
  };
}
