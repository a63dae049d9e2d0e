/**
 * Circuit breaker for one upstream: after `failures` consecutive failures it opens and callers fail
 * fast for `resetMs`; then a single trial call is let through (half-open) and its result closes or
 * re-opens the circuit. Keeps a struggling PhotoShelter from being hammered and the control waiting.
 */
export type BreakerState = "closed" | "open" | "half-open";

export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private state: BreakerState = "closed";

  constructor(
    private readonly failures: number,
    private readonly resetMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until a call may be tried again, or 0 when one may go now (taking the half-open trial slot). */
  acquire(): number {
    if (this.state === "closed") return 0;
    const waited = this.now() - this.openedAt;
    if (this.state === "open" && waited >= this.resetMs) this.state = "half-open";
    if (this.state === "half-open" && !this.trialInFlight) {
      this.trialInFlight = true;
      return 0;
    }
    return Math.max(1, this.resetMs - waited);
  }

  success(): void {
    this.consecutiveFailures = 0;
    this.trialInFlight = false;
    this.state = "closed";
  }

  failure(): void {
    this.trialInFlight = false;
    this.consecutiveFailures += 1;
    if (this.state === "half-open" || this.consecutiveFailures >= this.failures) {
      this.state = "open";
      this.openedAt = this.now();
    }
  }

  /** A call that ended without telling anything about upstream health (e.g. cancelled by the client). */
  release(): void {
    this.trialInFlight = false;
  }

  get current(): BreakerState {
    return this.state;
  }
}
