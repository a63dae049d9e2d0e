/**
 * Budgets per key and fixed one-minute window: requests per Dataverse user (weighted — a batch or a
 * ZIP costs one per asset it names, since each may be a PhotoShelter call), renditions per signed
 * media user, failed authentications per client address.
 */
import { LRUCache } from "lru-cache";
import { ProxyError } from "../errors";

const WINDOW_MS = 60_000;
/** Keys remembered at once (users, addresses); the oldest window is forgotten first. */
const MAX_KEYS = 100_000;

interface Window {
  used: number;
  endsAt: number;
}

export class WindowBudget {
  private readonly windows = new LRUCache<string, Window>({ max: MAX_KEYS });

  constructor(
    readonly max: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Takes `cost` units from the key's window; when they are not there, takes nothing and answers the
   * seconds until the window ends. A cost above the whole budget passes only in an untouched window.
   */
  take(key: string, cost = 1): number {
    const window = this.window(key);
    if (window.used > 0 && window.used + cost > this.max) return this.wait(window);
    if (window.used >= this.max) return this.wait(window);
    window.used += cost;
    return 0;
  }

  /** Seconds until the key may spend again (0 when it may now); takes nothing. */
  spent(key: string): number {
    const window = this.windows.get(key);
    return window && window.endsAt > this.now() && window.used >= this.max ? this.wait(window) : 0;
  }

  private window(key: string): Window {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { used: 0, endsAt: now + WINDOW_MS };
      this.windows.set(key, window);
    }
    return window;
  }

  private wait(window: Window): number {
    return Math.max(1, Math.ceil((window.endsAt - this.now()) / 1000));
  }
}

export const rateLimited = (retryAfterSeconds: number, what = "Too many requests") => new ProxyError("rate_limited", `${what}; try again in ${retryAfterSeconds} seconds`, retryAfterSeconds);

/** What a request naming assets (`{ ids }`) costs its user's budget: each may be a PhotoShelter call. */
export const distinctIds = (request: { body: unknown }): number => new Set((request.body as { ids?: unknown[] } | null)?.ids ?? []).size;
