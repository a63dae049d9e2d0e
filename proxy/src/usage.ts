/**
 * Usage events (S8): every download that passes the proxy is counted here, with who, for which
 * record and which asset. Kept in memory behind this interface for now; the roll-up job that writes
 * psh_assetusage to Dataverse reads from the same interface when the proxy gets its persistent state.
 */
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
  /** Events since the last drain, oldest first; they are removed. */
  drain(): UsageEvent[];
  count(): number;
}

/** Bounded so an unread buffer cannot grow without limit: beyond `capacity` the oldest events go. */
export class MemoryUsageRecorder implements UsageRecorder {
  private events: UsageEvent[] = [];
  dropped = 0;

  constructor(private readonly capacity = 100_000) {}

  record(event: UsageEvent): void {
    this.events.push(event);
    if (this.events.length > this.capacity) {
      this.dropped += this.events.length - this.capacity;
      this.events.splice(0, this.events.length - this.capacity);
    }
  }

  drain(): UsageEvent[] {
    const drained = this.events;
    this.events = [];
    return drained;
  }

  count(): number {
    return this.events.length;
  }
}
