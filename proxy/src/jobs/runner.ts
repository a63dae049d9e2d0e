/**
 * The job runner: drains the webhook inbox through the registered event handlers and runs the
 * scheduled jobs on their ticks. Work is claimed with a lease in the state store (so two instances
 * never run the same event or tick, and a killed instance's work is taken over when its lease runs
 * out), leases are renewed while work runs, failures are retried with backoff (honouring
 * Retry-After) and events are parked after the last attempt. stop() finishes what is running within
 * the grace period and gives back the rest.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Logger } from "pino";
import { readChange } from "../dataverse";
import type { InboxEvent, JobRecord, StateStore } from "../state";
import { retryDelay, type BackoffOptions } from "./backoff";
import type { JobRegistry, Outcome } from "./registry";

export interface RunnerOptions {
  /** Names this instance in leases (default host/pid/random). */
  owner?: string;
  /** Events handled at the same time. */
  concurrency: number;
  /** How often to look for work when nothing woke the runner. */
  pollMs: number;
  /** How long a claim holds without renewal; renewed every third of it. */
  leaseMs: number;
  /** Attempts before an event is parked. */
  maxAttempts: number;
  backoff: BackoffOptions;
}

interface Running {
  controller: AbortController;
  promise: Promise<void>;
  /** Set when stop() gave the work back: its late end must not count as a failure. */
  released: boolean;
}

const describe = (error: unknown): string => (error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error));

export class JobRunner {
  readonly owner: string;
  private readonly events = new Map<number, Running>();
  private readonly jobs = new Map<string, Running>();
  private loop: Promise<void> | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private stopping = false;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  /** When the scheduled jobs were last looked at (events that finish do not make the runner look again). */
  private jobsCheckedAt = 0;
  /** Jobs whose stored row is known to exist (jobs registered after start get theirs on the next pass). */
  private readonly recorded = new Set<string>();

  constructor(
    private readonly store: StateStore,
    private readonly registry: JobRegistry,
    private readonly log: Logger,
    private readonly options: RunnerOptions,
  ) {
    this.owner = options.owner ?? `${os.hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  }

  /** Records the registered jobs (first tick from their schedule) and starts claiming work. */
  async start(): Promise<void> {
    await this.recordJobs();
    this.heartbeat = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.options.leaseMs / 3)));
    this.heartbeat.unref();
    this.loop = this.run();
    this.log.info({ owner: this.owner, jobs: this.registry.allJobs().map((j) => j.job.name), handlers: this.registry.allHandlers().map((h) => h.name) }, "job runner started");
  }

  /** Looks for work now (an event was just stored, a run was asked for). */
  wake(): void {
    this.jobsCheckedAt = 0;
    this.nudge();
  }

  private nudge(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** What this instance is working on. */
  busy(): { events: number[]; jobs: string[] } {
    return { events: [...this.events.keys()], jobs: [...this.jobs.keys()] };
  }

  /** Stops claiming, lets running work finish within `graceMs`, then aborts and gives back the rest. */
  async stop(graceMs: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.wake();
    await this.loop;
    const running = () => [...this.events.values(), ...this.jobs.values()];
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(running().map((r) => r.promise)), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    const left = { events: [...this.events.entries()], jobs: [...this.jobs.entries()] };
    for (const [id, r] of left.events) {
      r.released = true;
      r.controller.abort(new Error("the proxy is shutting down"));
      await this.store.inbox.release(id, this.owner).catch((error: unknown) => this.log.warn({ err: error, event: id }, "could not give an event back"));
    }
    for (const [name, r] of left.jobs) {
      r.released = true;
      r.controller.abort(new Error("the proxy is shutting down"));
      await this.store.jobs.release(name, this.owner).catch((error: unknown) => this.log.warn({ err: error, job: name }, "could not give a job back"));
    }
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (left.events.length || left.jobs.length) this.log.warn({ events: left.events.map(([id]) => id), jobs: left.jobs.map(([name]) => name) }, "gave back unfinished work at shutdown");
  }

  // ---- the loop -------------------------------------------------------------------------------

  private async run(): Promise<void> {
    while (!this.stopping) {
      let full = false;
      try {
        full = await this.pass();
      } catch (error) {
        this.log.error({ err: error }, "job runner could not claim work");
      }
      if (this.stopping) break;
      if (full && !this.woken) continue;
      await this.idle();
    }
  }

  private idle(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = null;
        this.woken = false;
        done();
      };
    });
  }

  private async recordJobs(): Promise<void> {
    const now = Date.now();
    const added = this.registry.allJobs().filter(({ job }) => !this.recorded.has(job.name));
    if (added.length === 0) return;
    await this.store.jobs.ensure(added.map(({ job, schedule }) => ({ name: job.name, schedule: schedule.text, firstRunAt: schedule.next(now) })));
    for (const { job } of added) this.recorded.add(job.name);
  }

  /** One look for work; true when every event slot got one (more may be waiting). */
  private async pass(): Promise<boolean> {
    await this.recordJobs();
    const now = Date.now();
    if (now - this.jobsCheckedAt >= this.options.pollMs) {
      this.jobsCheckedAt = now;
      const idleJobs = this.registry.allJobs().map((j) => j.job.name).filter((name) => !this.jobs.has(name));
      for (const name of await this.store.jobs.due(idleJobs, now)) {
        if (this.stopping) return false;
        const claimed = await this.store.jobs.claim(name, this.owner, this.options.leaseMs, now);
        if (claimed) this.startJob(claimed, now);
      }
    }
    const free = this.options.concurrency - this.events.size;
    if (free <= 0 || this.stopping) return false;
    const claimed = await this.store.inbox.claim(this.owner, free, this.options.leaseMs);
    for (const event of claimed) this.startEvent(event);
    return claimed.length === free;
  }

  private async renew(): Promise<void> {
    const until = Date.now() + this.options.leaseMs;
    try {
      const ids = [...this.events.keys()];
      const kept = new Set(await this.store.inbox.renew(ids, this.owner, until));
      for (const id of ids) {
        const running = this.events.get(id);
        if (running && !kept.has(id) && !running.released) running.controller.abort(new Error("the lease on this event was lost"));
      }
      for (const [name, running] of this.jobs) {
        if (!(await this.store.jobs.renew(name, this.owner, until)) && !running.released) running.controller.abort(new Error("the lease on this job was lost"));
      }
    } catch (error) {
      this.log.warn({ err: error }, "could not renew leases");
    }
  }

  // ---- events ---------------------------------------------------------------------------------

  private startEvent(event: InboxEvent): void {
    const controller = new AbortController();
    const running: Running = { controller, released: false, promise: Promise.resolve() };
    running.promise = this.handleEvent(event, running).finally(() => {
      this.events.delete(event.id);
      // Claim again once half the slots are free: one claim for several events, not one each.
      if (this.events.size <= this.options.concurrency / 2) this.nudge();
    });
    this.events.set(event.id, running);
  }

  private async handleEvent(event: InboxEvent, running: Running): Promise<void> {
    const log = this.log.child({ event: event.id, message: event.message, table: event.table, record: event.recordId, attempt: event.attempts });
    const { signal } = running.controller;
    let change;
    try {
      change = readChange(JSON.parse(event.body));
    } catch (error) {
      // The receiver validated it; a body that no longer reads will never work: park it at once.
      await this.store.inbox.fail(event.id, this.owner, `unreadable event: ${describe(error)}`, { maxAttempts: 0, delayMs: 0 });
      log.error({ err: error }, "event parked: its body cannot be read");
      return;
    }
    const results: Record<string, Outcome> = { ...event.results };
    try {
      const handlers = this.registry.handlersFor(event.message, event.table).filter((handler) => !(handler.name in results));
      for (const [index, handler] of handlers.entries()) {
        signal.throwIfAborted();
        const outcome = await handler.handle(change, { event, signal, log: log.child({ handler: handler.name }) });
        results[handler.name] = outcome ?? {};
        // Each finished handler is remembered, so a retry runs only the rest; the last one's result goes with the completion.
        if (index < handlers.length - 1 && !(await this.store.inbox.handlerDone(event.id, this.owner, results))) throw new Error("the lease on this event was lost");
      }
      if (!(await this.store.inbox.complete(event.id, this.owner, Date.now(), results))) throw new Error("the lease on this event was lost");
      log.debug({ results }, "event handled");
    } catch (error) {
      if (running.released) return;
      if (signal.aborted) {
        log.warn({ reason: describe(signal.reason) }, "event handling stopped; another instance takes it over");
        return;
      }
      const delayMs = retryDelay(event.attempts, error, this.options.backoff);
      const verdict = await this.store.inbox.fail(event.id, this.owner, describe(error), { maxAttempts: this.options.maxAttempts, delayMs });
      if (verdict === "parked") log.error({ err: error }, "event parked after its last attempt; retry it with POST /v1/admin/events/{id}/retry");
      else if (verdict === "retry") log.warn({ err: error, retryInMs: delayMs }, "event failed; retrying later");
    }
  }

  // ---- scheduled jobs -------------------------------------------------------------------------

  private startJob(record: JobRecord, claimedAt: number): void {
    const controller = new AbortController();
    const running: Running = { controller, released: false, promise: Promise.resolve() };
    running.promise = this.runJob(record, claimedAt, running).finally(() => {
      this.jobs.delete(record.name);
      this.wake();
    });
    this.jobs.set(record.name, running);
  }

  private async runJob(record: JobRecord, claimedAt: number, running: Running): Promise<void> {
    const registered = this.registry.job(record.name)!;
    const due = record.nextRunAt <= claimedAt;
    // A requested run between ticks keeps the regular tick; a due one is that tick.
    const scheduledFor = due ? record.nextRunAt : claimedAt;
    const log = this.log.child({ job: record.name, scheduledFor: new Date(scheduledFor).toISOString() });
    const regularNext = () => (due ? registered.schedule.next(Math.max(scheduledFor, Date.now())) : record.nextRunAt);
    const started = Date.now();
    try {
      const outcome = await registered.job.run(running.controller.signal, { scheduledFor, requested: record.runRequested, log });
      if (!(await this.store.jobs.finish(record.name, this.owner, { ok: true, result: { ...(outcome ?? {}), ms: Date.now() - started }, nextRunAt: regularNext() }))) {
        log.warn("job finished after its lease was lost");
        return;
      }
      log.info({ result: outcome, ms: Date.now() - started }, "job ran");
    } catch (error) {
      if (running.released) return;
      if (running.controller.signal.aborted) {
        log.warn({ reason: describe(running.controller.signal.reason) }, "job stopped; another instance takes it over");
        return;
      }
      const retryAt = Date.now() + retryDelay(record.consecutiveFailures + 1, error, this.options.backoff);
      await this.store.jobs.finish(record.name, this.owner, { ok: false, error: describe(error), nextRunAt: Math.min(retryAt, regularNext()) });
      log.warn({ err: error, retryAt: new Date(Math.min(retryAt, regularNext())).toISOString() }, "job failed");
    }
  }
}
