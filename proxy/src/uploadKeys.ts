/**
 * Idempotency keys of uploads (`Idempotency-Key`, one per file), kept in the state store
 * (`state.keys`, first writer wins on SQLite and PostgreSQL): a retried upload whose first try
 * reached PhotoShelter — but whose answer was lost — gets the asset stored the first time instead of
 * a second copy, also after a restart and on another instance. Keys are scoped to the user and the
 * record, so nobody can claim someone else's upload by guessing a key.
 *
 * A key is first *claimed* (`uploading`, with a lease this instance renews while the file streams),
 * then *stored* with the media id. A retry meanwhile:
 * - on the same instance waits for the first try to end, as before;
 * - on another instance (or after a restart, while the dead try's lease runs) gets `busy` with the
 *   seconds until the lease ends: the route answers 409 with Retry-After;
 * - once the lease has run out (the instance died mid-upload) takes the key over and uploads. If the
 *   dead try had already stored the file but not its id, that file is in PhotoShelter twice: the one
 *   case the key cannot cover.
 * A failed try gives the key back, so the file can be retried. Keys are forgotten after a day
 * (`upload-key-retention`).
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { IdempotencyKeys } from "./state/records";

/** Where upload keys live among the store's keys. */
export const UPLOAD_KEY_PREFIX = "upload:";
/** How long a stored key answers retries. */
export const UPLOAD_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export interface HeldKey {
  /** The upload stored this media: later uploads with the key get it. */
  done(mediaId: string): Promise<void>;
  /** The request ended; without done() the key is free again (a failed upload may be retried). */
  release(): void;
}

export type UploadClaim<T> =
  /** The key's file is stored already: `found` is what `find` made of its media id. */
  | { kind: "stored"; found: T }
  /** This request holds the key: upload, then done() or release(). */
  | { kind: "claimed"; held: HeldKey }
  /** Another instance (or a process that died) is uploading under the key: ask again after this. */
  | { kind: "busy"; retryAfterSeconds: number };

export interface UploadKeys {
  /**
   * Claims `scope` for an upload, or finds what it stored: `find` looks up a stored media id (null
   * when the asset is gone from PhotoShelter — then the key is taken for a new upload).
   */
  claim<T>(scope: string, find: (mediaId: string) => Promise<T | null>): Promise<UploadClaim<T>>;
}

type KeyValue = { state: "uploading"; claim: string; until: number } | { state: "stored"; mediaId: string };

function parse(raw: string): KeyValue | null {
  try {
    const value = JSON.parse(raw) as KeyValue;
    return value.state === "uploading" || value.state === "stored" ? value : null;
  } catch {
    return null;
  }
}

export class StoreUploadKeys implements UploadKeys {
  /** Claims this instance holds, by scope: a retry here waits for the first try instead of answering busy. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly keys: IdempotencyKeys,
    private readonly log: Logger,
    /** How long a claim lasts without renewal; renewed every third of it while the upload runs. */
    private readonly leaseMs: number,
  ) {}

  async claim<T>(scope: string, find: (mediaId: string) => Promise<T | null>): Promise<UploadClaim<T>> {
    const key = `${UPLOAD_KEY_PREFIX}${scope}`;
    for (;;) {
      const running = this.inFlight.get(scope);
      if (running) {
        await running;
        continue;
      }
      // Registered before the first await, so a second request here waits instead of racing.
      let settle: () => void = () => undefined;
      const pending = new Promise<void>((resolve) => (settle = resolve));
      this.inFlight.set(scope, pending);
      const forget = () => {
        if (this.inFlight.get(scope) === pending) this.inFlight.delete(scope);
        settle();
      };
      try {
        const outcome = await this.claimInStore(key, find);
        if (outcome.kind !== "claimed") {
          forget();
          if (outcome.kind === "retry") continue;
          return outcome;
        }
        return { kind: "claimed", held: this.hold(key, outcome.raw, forget) };
      } catch (error) {
        forget();
        throw error;
      }
    }
  }

  private async claimInStore<T>(key: string, find: (mediaId: string) => Promise<T | null>): Promise<{ kind: "claimed"; raw: string } | { kind: "retry" } | Exclude<UploadClaim<T>, { kind: "claimed" }>> {
    const mine = this.claimValue();
    const put = await this.keys.put(key, mine);
    if (put.created) return { kind: "claimed", raw: mine };
    const existing = parse(put.value);
    if (existing?.state === "stored") {
      const found = await find(existing.mediaId);
      if (found !== null) return { kind: "stored", found };
      // The asset is gone from PhotoShelter: the key uploads the file again.
      return (await this.keys.replace(key, put.value, mine)) ? { kind: "claimed", raw: mine } : { kind: "retry" };
    }
    const now = Date.now();
    if (existing && existing.until > now) return { kind: "busy", retryAfterSeconds: Math.max(1, Math.ceil((existing.until - now) / 1000)) };
    // A claim whose holder stopped renewing it (the process died, or the value is unreadable): take it over.
    if (!(await this.keys.replace(key, put.value, mine))) return { kind: "retry" };
    this.log.info({ key }, "upload key taken over from an upload that stopped");
    return { kind: "claimed", raw: mine };
  }

  private claimValue(claim: string = randomUUID()): string {
    return JSON.stringify({ state: "uploading", claim, until: Date.now() + this.leaseMs } satisfies KeyValue);
  }

  private hold(key: string, claimed: string, forget: () => void): HeldKey {
    const claim = (parse(claimed) as Extract<KeyValue, { state: "uploading" }>).claim;
    let current = claimed;
    let settled = false;
    // Store writes of this claim one after the other: a renewal never lands after done() or release().
    let writes: Promise<unknown> = Promise.resolve();
    const write = <R>(work: () => Promise<R>): Promise<R> => {
      const next = writes.then(work);
      writes = next.catch(() => undefined);
      return next;
    };
    const renew = setInterval(
      () =>
        void write(async () => {
          if (settled) return;
          const renewed = this.claimValue(claim);
          if (await this.keys.replace(key, current, renewed)) current = renewed;
          else clearInterval(renew);
        }).catch((error: unknown) => this.log.warn({ key, err: error }, "renewing an upload key failed")),
      Math.max(100, Math.floor(this.leaseMs / 3)),
    );
    renew.unref();
    const finish = async (mediaId: string | null) => {
      if (settled) return;
      settled = true;
      clearInterval(renew);
      try {
        await write(async () => {
          const kept = mediaId === null ? await this.keys.delete(key, current) : await this.keys.replace(key, current, JSON.stringify({ state: "stored", mediaId } satisfies KeyValue));
          if (!kept) this.log.warn({ key }, "an upload key was taken over while its upload ran");
        });
      } finally {
        forget();
      }
    };
    return {
      done: (mediaId) => finish(mediaId).catch((error: unknown) => this.log.warn({ key, err: error }, "storing an upload key failed: a retry may upload the file again")),
      release: () => void finish(null).catch((error: unknown) => this.log.warn({ key, err: error }, "giving back an upload key failed: it frees itself when its lease ends")),
    };
  }
}
