/**
 * What the runner runs, registered by the scenario modules (proxy/src/automation/): event handlers
 * keyed by Dataverse message and table, and scheduled jobs. Names are unique: the runner remembers
 * per event which handlers finished, and per job its ticks, lease and last outcome, by name.
 */
import type { Logger } from "pino";
import type { DataverseChange } from "../dataverse";
import type { InboxEvent } from "../state";
import { parseSchedule, type Schedule } from "./schedule";

/** What a handler or job reports (kept with the event or job, shown by the admin endpoints). */
export type Outcome = Record<string, unknown>;

export type Message = "Create" | "Update" | "Delete";

export interface HandlerContext {
  /** The stored event (id, attempts so far, when it was received…). */
  event: InboxEvent;
  /** Aborted when the lease is lost or the proxy shuts down: stop and throw. */
  signal: AbortSignal;
  log: Logger;
}

export interface EventHandler {
  /** Unique; a retry of the event skips the handlers that already finished it. */
  name: string;
  /** Table logical name, e.g. `campaign`. */
  table: string;
  messages: readonly Message[];
  /**
   * Does the work for one change, idempotently (at least once: a retry, a redelivery after the
   * inbox forgot the first, or a takeover after a crash can run it again). Throw to retry later
   * (errors carrying Retry-After are honoured); after the last attempt the event is parked.
   */
  handle(change: DataverseChange, context: HandlerContext): Promise<Outcome | void>;
}

export interface JobContext {
  /** The tick being run (epoch ms): the same on every instance. */
  scheduledFor: number;
  /** Started by POST /v1/admin/jobs/{name}/run rather than by the schedule. */
  requested: boolean;
  log: Logger;
}

export interface ScheduledJob {
  name: string;
  /** A cron expression (UTC, 5 or 6 fields) or `every <n><ms|s|m|h|d>`. */
  schedule: string;
  /** Runs once per tick on one instance. Aborted when its lease is lost or the proxy shuts down. Throw to retry with backoff before the next tick. */
  run(signal: AbortSignal, context: JobContext): Promise<Outcome | void>;
}

export interface RegisteredJob {
  job: ScheduledJob;
  schedule: Schedule;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

export class JobRegistry {
  private readonly handlers: EventHandler[] = [];
  private readonly jobs = new Map<string, RegisteredJob>();

  /** Adds event handlers; a duplicate or malformed name is a programming error and throws. */
  addHandlers(...handlers: EventHandler[]): this {
    for (const handler of handlers) {
      if (!NAME.test(handler.name)) throw new Error(`event handler name "${handler.name}" must be lower-case letters, digits, ".", "_" or "-"`);
      if (this.handlers.some((h) => h.name === handler.name)) throw new Error(`event handler "${handler.name}" is registered twice`);
      if (handler.messages.length === 0) throw new Error(`event handler "${handler.name}" handles no message`);
      this.handlers.push(handler);
    }
    return this;
  }

  /** Adds scheduled jobs; a duplicate name or a schedule that does not parse throws. */
  addJobs(...jobs: ScheduledJob[]): this {
    for (const job of jobs) {
      if (!NAME.test(job.name)) throw new Error(`job name "${job.name}" must be lower-case letters, digits, ".", "_" or "-"`);
      if (this.jobs.has(job.name)) throw new Error(`job "${job.name}" is registered twice`);
      let schedule: Schedule;
      try {
        schedule = parseSchedule(job.schedule);
      } catch (error) {
        throw new Error(`job "${job.name}": ${(error as Error).message}`);
      }
      this.jobs.set(job.name, { job, schedule });
    }
    return this;
  }

  /** The handlers of a change, in registration order. */
  handlersFor(message: string, table: string): EventHandler[] {
    return this.handlers.filter((h) => h.table === table && (h.messages as readonly string[]).includes(message));
  }

  /** Every (message, table) some handler listens to. */
  subscriptions(): { message: Message; table: string }[] {
    const seen = new Map<string, { message: Message; table: string }>();
    for (const h of this.handlers) for (const message of h.messages) seen.set(`${message} ${h.table}`, { message, table: h.table });
    return [...seen.values()];
  }

  job(name: string): RegisteredJob | undefined {
    return this.jobs.get(name);
  }

  allJobs(): RegisteredJob[] {
    return [...this.jobs.values()];
  }

  allHandlers(): readonly EventHandler[] {
    return this.handlers;
  }
}
