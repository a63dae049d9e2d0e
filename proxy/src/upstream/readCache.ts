/**
 * Read cache for upstream GETs: identical concurrent loads become one (coalescing), results stay
 * fresh for `ttlMs`, then are served stale for up to `staleMs` more while one background load
 * refreshes them. Errors are never cached. With maxEntries 0 it only coalesces.
 */
import { LRUCache } from "lru-cache";

interface Entry {
  value: unknown;
  freshUntil: number;
}

export interface ReadCacheOptions {
  maxEntries: number;
  ttlMs: number;
  staleMs: number;
  now?: () => number;
}

export class ReadCache {
  private readonly entries: LRUCache<string, Entry> | null;
  private readonly inFlight = new Map<string, { promise: Promise<unknown>; callers: number }>();
  private readonly now: () => number;

  constructor(private readonly options: ReadCacheOptions) {
    this.now = options.now ?? Date.now;
    const ttl = options.ttlMs + options.staleMs;
    this.entries = options.maxEntries > 0 && ttl > 0 ? new LRUCache<string, Entry>({ max: options.maxEntries, ttl, ttlAutopurge: false }) : null;
  }

  /** Returns the cached value for `key`, or loads it once however many callers ask at the same time. */
  async get<T>(key: string, load: () => Promise<T>, cacheable: (value: T) => boolean = () => true): Promise<T> {
    const entry = this.entries?.get(key);
    if (entry) {
      if (entry.freshUntil > this.now()) return entry.value as T;
      // Stale-while-revalidate: answer now, refresh once in the background; a failed refresh keeps the old value.
      this.load(key, load, cacheable).catch(() => undefined);
      return entry.value as T;
    }
    return this.load(key, load, cacheable);
  }

  /**
   * The value cached for `key` while it is fresh, without loading or refreshing anything; undefined
   * when there is none (then `get` decides: a stale value with a refresh, or a load).
   */
  peek<T>(key: string): T | undefined {
    const entry = this.entries?.get(key);
    return entry && entry.freshUntil > this.now() ? (entry.value as T) : undefined;
  }

  clear(): void {
    this.entries?.clear();
  }

  /** Callers waiting for the load of `key` in flight (0 when none is): one upstream call serves them all. */
  waiting(key: string): number {
    return this.inFlight.get(key)?.callers ?? 0;
  }

  private load<T>(key: string, load: () => Promise<T>, cacheable: (value: T) => boolean): Promise<T> {
    const pending = this.inFlight.get(key);
    if (pending) {
      pending.callers += 1;
      return pending.promise as Promise<T>;
    }
    const promise = load()
      .then((value) => {
        if (this.entries && cacheable(value)) this.entries.set(key, { value, freshUntil: this.now() + this.options.ttlMs });
        return value;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, { promise, callers: 1 });
    return promise;
  }
}
