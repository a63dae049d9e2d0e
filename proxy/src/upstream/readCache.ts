/**
 * Read cache for upstream GETs: identical concurrent loads become one (coalescing), results stay
 * fresh for `ttlMs`, then are served stale for up to `staleMs` more while one background load
 * refreshes them. Errors are never cached. With maxEntries 0 it only coalesces. With `maxBytes` it
 * also holds at most that much, each value counted at the size its loader reports (a PhotoShelter
 * answer at its body's length), so many large answers cannot outgrow the process's heap.
 */
import { LRUCache } from "lru-cache";

interface Entry {
  value: unknown;
  freshUntil: number;
  size: number;
}

export interface ReadCacheOptions {
  maxEntries: number;
  /** Most bytes held, by the sizes values are given (none: entries only). */
  maxBytes?: number;
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
    const sized = options.maxBytes === undefined ? {} : { maxSize: options.maxBytes, sizeCalculation: (entry: Entry) => Math.max(1, entry.size) };
    this.entries = options.maxEntries > 0 && options.maxBytes !== 0 && ttl > 0 ? new LRUCache<string, Entry>({ max: options.maxEntries, ttl, ttlAutopurge: false, ...sized }) : null;
  }

  /**
   * Returns the cached value for `key`, or loads it once however many callers ask at the same time.
   * `sizeOf` says what a loaded value counts against `maxBytes` (a value larger than all of it is not kept).
   */
  async get<T>(key: string, load: () => Promise<T>, cacheable: (value: T) => boolean = () => true, sizeOf: (value: T) => number = () => 1): Promise<T> {
    const entry = this.entries?.get(key);
    if (entry) {
      if (entry.freshUntil > this.now()) return entry.value as T;
      // Stale-while-revalidate: answer now, refresh once in the background; a failed refresh keeps the old value.
      this.load(key, load, cacheable, sizeOf).catch(() => undefined);
      return entry.value as T;
    }
    return this.load(key, load, cacheable, sizeOf);
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

  private load<T>(key: string, load: () => Promise<T>, cacheable: (value: T) => boolean, sizeOf: (value: T) => number): Promise<T> {
    const pending = this.inFlight.get(key);
    if (pending) {
      pending.callers += 1;
      return pending.promise as Promise<T>;
    }
    const promise = load()
      .then((value) => {
        if (this.entries && cacheable(value)) this.entries.set(key, { value, freshUntil: this.now() + this.options.ttlMs, size: sizeOf(value) });
        return value;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, { promise, callers: 1 });
    return promise;
  }
}
