/**
 * Idempotency keys of uploads (`Idempotency-Key`, one per file): a retried upload whose first try
 * reached PhotoShelter — but whose answer was lost — gets the asset stored the first time instead of
 * a second copy; a retry sent while the first is still streaming waits for it. Keys are scoped to the
 * user and the record, so nobody can claim someone else's upload by guessing a key.
 *
 * Kept in memory behind this interface (a day, at most 10,000 keys): a restart forgets them, and
 * with several proxy instances a retry must reach the same one. The proxy's state store can hold them
 * instead once it exists, with no change to the route.
 */
import { LRUCache } from "lru-cache";

export interface HeldKey {
  /** The upload stored this media: later uploads with the key get it. */
  done(mediaId: string): void;
  /** The request ended; without done() the key is free again (a failed upload may be retried). */
  release(): void;
}

export interface UploadKeys {
  /** The media stored under the key (waiting for an upload in flight), or null. */
  lookup(scope: string): Promise<string | null>;
  /** Marks an upload under the key as in flight. */
  hold(scope: string): HeldKey;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export class MemoryUploadKeys implements UploadKeys {
  private readonly stored = new LRUCache<string, string>({ max: 10_000, ttl: DAY_MS });
  private readonly inFlight = new Map<string, Promise<string | null>>();

  async lookup(scope: string): Promise<string | null> {
    return this.stored.get(scope) ?? (await this.inFlight.get(scope)) ?? this.stored.get(scope) ?? null;
  }

  hold(scope: string): HeldKey {
    let settle: (mediaId: string | null) => void = () => undefined;
    const pending = new Promise<string | null>((resolve) => (settle = resolve));
    this.inFlight.set(scope, pending);
    let settled = false;
    const finish = (mediaId: string | null) => {
      if (settled) return;
      settled = true;
      if (mediaId) this.stored.set(scope, mediaId);
      if (this.inFlight.get(scope) === pending) this.inFlight.delete(scope);
      settle(mediaId);
    };
    return { done: (mediaId) => finish(mediaId), release: () => finish(null) };
  }
}
