/**
 * The stored side of scheduled jobs: one row per job with its next tick, the lease of the instance
 * running it and the outcome of its last run (what GET /v1/admin/jobs shows).
 */
import type { Kysely } from "kysely";
import { claimJob, renewJob, type JobRow } from "./claims";
import type { StateDatabase } from "./schema";

export interface JobRecord {
  name: string;
  schedule: string;
  nextRunAt: number;
  runRequested: boolean;
  leaseOwner: string | null;
  leaseUntil: number | null;
  lastStartedAt: number | null;
  lastFinishedAt: number | null;
  lastOutcome: string | null;
  lastError: string | null;
  lastResult: Record<string, unknown> | null;
  runs: number;
  failures: number;
  consecutiveFailures: number;
}

function toRecord(row: JobRow): JobRecord {
  let lastResult: Record<string, unknown> | null = null;
  if (row.last_result) {
    try {
      lastResult = JSON.parse(row.last_result) as Record<string, unknown>;
    } catch {
      lastResult = null;
    }
  }
  return {
    name: row.name,
    schedule: row.schedule,
    nextRunAt: Number(row.next_run_at),
    runRequested: row.run_requested === 1,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until === null ? null : Number(row.lease_until),
    lastStartedAt: row.last_started_at === null ? null : Number(row.last_started_at),
    lastFinishedAt: row.last_finished_at === null ? null : Number(row.last_finished_at),
    lastOutcome: row.last_outcome,
    lastError: row.last_error,
    lastResult,
    runs: row.runs,
    failures: row.failures,
    consecutiveFailures: row.consecutive_failures,
  };
}

export interface RunOutcome {
  ok: boolean;
  error?: string;
  result?: Record<string, unknown>;
  nextRunAt: number;
  now?: number;
}

export class JobRecords {
  constructor(private readonly db: Kysely<StateDatabase>) {}

  /**
   * Makes sure every registered job has its row. A new job, or one whose schedule changed, gets
   * `firstRunAt(name)` as its next tick; others keep theirs (a restart does not reset them).
   */
  async ensure(jobs: readonly { name: string; schedule: string; firstRunAt: number }[]): Promise<void> {
    for (const job of jobs) {
      await this.db
        .insertInto("state_jobs")
        .values({ name: job.name, schedule: job.schedule, next_run_at: job.firstRunAt, run_requested: 0, runs: 0, failures: 0, consecutive_failures: 0 })
        .onConflict((oc) => oc.column("name").doUpdateSet({ schedule: job.schedule, next_run_at: job.firstRunAt }).where("state_jobs.schedule", "<>", job.schedule))
        .execute();
    }
  }

  claim(name: string, owner: string, leaseMs: number, now: number = Date.now()): Promise<JobRecord | null> {
    return claimJob(this.db, name, owner, leaseMs, now).then((row) => (row ? toRecord(row) : null));
  }

  renew(name: string, owner: string, leaseUntil: number): Promise<boolean> {
    return renewJob(this.db, name, owner, leaseUntil);
  }

  /** Names of the jobs due now (or asked to run) whose lease is free. */
  async due(names: readonly string[], now: number = Date.now()): Promise<string[]> {
    if (names.length === 0) return [];
    const rows = await this.db
      .selectFrom("state_jobs")
      .select("name")
      .where("name", "in", [...names])
      .where((eb) => eb.or([eb("next_run_at", "<=", now), eb("run_requested", "=", 1)]))
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
      .orderBy("next_run_at")
      .execute();
    return rows.map((row) => row.name);
  }

  /** Records a finished run and the next tick; false when the lease was lost meanwhile. */
  async finish(name: string, owner: string, outcome: RunOutcome): Promise<boolean> {
    const now = outcome.now ?? Date.now();
    const result = await this.db
      .updateTable("state_jobs")
      .set((eb) => ({
        lease_owner: null,
        lease_until: null,
        run_requested: 0,
        next_run_at: outcome.nextRunAt,
        last_finished_at: now,
        last_outcome: outcome.ok ? "ok" : "failed",
        last_error: outcome.ok ? null : (outcome.error ?? "failed").slice(0, 2000),
        last_result: outcome.result ? JSON.stringify(outcome.result) : null,
        runs: eb("runs", "+", 1),
        ...(outcome.ok ? { consecutive_failures: 0 } : { failures: eb("failures", "+", 1), consecutive_failures: eb("consecutive_failures", "+", 1) }),
      }))
      .where("name", "=", name)
      .where("lease_owner", "=", owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Gives a tick back unfinished (shutdown): due again at once, for whichever instance is next. */
  async release(name: string, owner: string): Promise<boolean> {
    const result = await this.db
      .updateTable("state_jobs")
      .set({ lease_owner: null, lease_until: null, last_outcome: "released" })
      .where("name", "=", name)
      .where("lease_owner", "=", owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Asks for a run as soon as a worker is free (admin "run now"); false for an unknown job. */
  async requestRun(name: string): Promise<boolean> {
    const result = await this.db.updateTable("state_jobs").set({ run_requested: 1 }).where("name", "=", name).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async get(name: string): Promise<JobRecord | null> {
    const row = await this.db.selectFrom("state_jobs").selectAll().where("name", "=", name).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async list(): Promise<JobRecord[]> {
    return (await this.db.selectFrom("state_jobs").selectAll().orderBy("name").execute()).map(toRecord);
  }
}
