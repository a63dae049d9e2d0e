/**
 * Usage events (S8): every download and ZIP entry that passes the proxy, with who, for which record
 * and which asset, written to the state store (the usage roll-up job turns them into psh_assetusage
 * rows). Recording never delays or fails the download: writes are batched in the background, and
 * flush() (shutdown, tests) waits until every event recorded so far is stored.
 */
import type { Logger } from "pino";
import type { UsageStore } from "./state/usage";

export interface UsageEvent {
  at: string;
  kind: "download" | "zip";
  assetId: string;
  userId: string;
  record: string;
  size: string;
}

export interface UsageRecorder {
  record(event: UsageEvent): void;
  /** Resolves when every event recorded before the call is stored. */
  flush(): Promise<void>;
  /** Events stored (after a flush). */
  count(): Promise<number>;
}

/** Events written per statement; more waiting are taken in the next one. */
const BATCH = 500;
/** Writes retried this many times before the events are logged as lost. */
const ATTEMPTS = 5;

export class StoreUsageRecorder implements UsageRecorder {
  private queue: UsageEvent[] = [];
  private writing: Promise<void> | null = null;
  lost = 0;

  constructor(
    private readonly store: UsageStore,
    private readonly log: Logger,
  ) {}

  record(event: UsageEvent): void {
    this.queue.push(event);
    this.write();
  }

  private write(): void {
    if (this.writing) return;
    this.writing = this.drain().finally(() => {
      this.writing = null;
      // An event recorded while the last batch was being stored.
      if (this.queue.length > 0) this.write();
    });
  }

  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  async count(): Promise<number> {
    await this.flush();
    return this.store.count();
  }

  private async drain(): Promise<void> {
    // Let the events of this tick (a ZIP's entries) join one statement.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, BATCH);
      for (let attempt = 1; ; attempt++) {
        try {
          await this.store.record(batch);
          break;
        } catch (error) {
          if (attempt >= ATTEMPTS) {
            this.lost += batch.length;
            this.log.error({ err: error, events: batch.length }, "usage events could not be stored");
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
        }
      }
    }
  }
}
