/**
 * How the control gets a bearer token for the proxy: by default the proxy's own session token, proven
 * through Dataverse (DataverseTokenProvider); an Entra ID token where an organization requires one;
 * locally, the mock issuer's development sign-in. The proxy says which through `GET /v1/config`, so
 * the control needs no configuration of its own.
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

/** Caches one token until shortly before it expires and shares one acquisition between concurrent callers. */
export abstract class CachedTokenProvider implements TokenProvider {
  private cached: { token: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(protected readonly now: () => number = Date.now) {}

  /** One acquisition, shared by every caller waiting for it; so it takes no caller's abort signal. */
  protected abstract acquire(): Promise<AcquiredToken>;

  getToken(signal?: AbortSignal): Promise<string> {
    if (this.cached && this.cached.expiresAt > this.now()) return Promise.resolve(this.cached.token);
    if (!this.pending) {
      this.pending = this.acquire()
        .then((acquired) => this.remember(acquired))
        .finally(() => {
          this.pending = null;
        });
    }
    return until(this.pending, signal);
  }

  invalidate(rejected?: string): void {
    // Calls that failed together all report the same token: only the first renewal is needed.
    if (rejected === undefined || this.cached?.token === rejected) this.cached = null;
  }

  protected remember(acquired: AcquiredToken): string {
    const lifetime = acquired.expiresIn * 1000;
    this.cached = { token: acquired.token, expiresAt: this.now() + Math.max(0, lifetime - Math.min(EXPIRY_MARGIN_MS, lifetime / 4)) };
    return acquired.token;
  }
}

/** `signIn` of `GET /v1/config`, as agreed with the proxy. */
export type SignInConfig = { kind: "dataverse" } | { kind: "entra"; authority: string; clientId: string; scope: string } | { kind: "dev"; signInUrl: string };

/** Reads the proxy's sign-in settings once, then hands every call to the provider they name. */
export class ConfiguredTokenProvider implements TokenProvider {
  /** A failed config read (proxy down) must not stick: the next call tries again. */
  private readonly resolve: () => Promise<TokenProvider>;
  private provider: Promise<TokenProvider> | null = null;

  constructor(loadConfig: () => Promise<SignInConfig>, create: (config: SignInConfig) => TokenProvider) {
    this.resolve = sharedUntilFailure(() => (this.provider = loadConfig().then(create)));
  }

  async getToken(signal?: AbortSignal): Promise<string> {
    return (await this.resolve()).getToken(signal);
  }

  invalidate(rejected?: string): void {
    void this.provider?.then((provider) => provider.invalidate(rejected), () => undefined);
  }

  async signInInteractively(): Promise<void> {
    const provider = await this.resolve();
    await provider.signInInteractively?.();
  }
}
