/**
 * How the control gets a bearer token for the proxy. Inside Dynamics that is an Entra ID token for the
 * proxy's audience; locally it is the mock issuer's development sign-in. The proxy says which through
 * `GET /v1/config`, so the control needs no configuration of its own.
 */
export interface TokenProvider {
  getToken(signal?: AbortSignal): Promise<string>;
  /** Forget the cached token (the proxy answered 401). */
  invalidate(): void;
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

/** Renew a little before expiry so a request never leaves with a token that dies in flight. */
const EXPIRY_MARGIN_MS = 60_000;

/** Caches one token until shortly before it expires and shares one acquisition between concurrent callers. */
export abstract class CachedTokenProvider implements TokenProvider {
  private cached: { token: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(protected readonly now: () => number = Date.now) {}

  protected abstract acquire(signal?: AbortSignal): Promise<AcquiredToken>;

  getToken(signal?: AbortSignal): Promise<string> {
    if (this.cached && this.cached.expiresAt > this.now()) return Promise.resolve(this.cached.token);
    if (!this.pending) {
      this.pending = this.acquire(signal)
        .then((acquired) => this.remember(acquired))
        .finally(() => {
          this.pending = null;
        });
    }
    return this.pending;
  }

  invalidate(): void {
    this.cached = null;
  }

  protected remember(acquired: AcquiredToken): string {
    this.cached = { token: acquired.token, expiresAt: this.now() + Math.max(0, acquired.expiresIn * 1000 - EXPIRY_MARGIN_MS) };
    return acquired.token;
  }
}

/** `signIn` of `GET /v1/config`, as agreed with the proxy. */
export type SignInConfig = { kind: "entra"; authority: string; clientId: string; scope: string } | { kind: "dev"; signInUrl: string };

/** Reads the proxy's sign-in settings once, then hands every call to the provider they name. */
export class ConfiguredTokenProvider implements TokenProvider {
  private provider: Promise<TokenProvider> | null = null;

  constructor(
    private readonly loadConfig: () => Promise<SignInConfig>,
    private readonly create: (config: SignInConfig) => TokenProvider,
  ) {}

  async getToken(signal?: AbortSignal): Promise<string> {
    return (await this.resolve()).getToken(signal);
  }

  invalidate(): void {
    void this.provider?.then((provider) => provider.invalidate(), () => undefined);
  }

  async signInInteractively(): Promise<void> {
    const provider = await this.resolve();
    await provider.signInInteractively?.();
  }

  private resolve(): Promise<TokenProvider> {
    if (!this.provider) {
      this.provider = this.loadConfig().then(this.create);
      // A failed config read (proxy down) must not stick: the next call tries again.
      this.provider.catch(() => {
        this.provider = null;
      });
    }
    return this.provider;
  }
}
