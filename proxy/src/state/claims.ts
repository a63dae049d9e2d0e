/**
 * Claiming work, the one place where two instances compete: inbox events and scheduled-job ticks
 * are taken with a lease (owner + expiry) in a single conditional UPDATE, so exactly one claimer
 * wins on either engine. On PostgreSQL event claims select with FOR UPDATE SKIP LOCKED under a
 * transaction-scoped advisory lock, so claims never wait on rows being finished and two claimers
 * never split the events of one record; SQLite runs one write at a time, which gives the same.
 * An expired lease (its holder was killed) makes the work claimable again.
 */
import { Kysely, Selectable, sql } from "kysely";
import type { Engine } from "./migrations";
import type { InboxTable, JobTable, StateDatabase } from "./schema";

export type InboxRow = Selectable<InboxTable>;
export type JobRow = Selectable<JobTable>;

/** Any number: serializes event claims across instances (PostgreSQL advisory lock key). */
const CLAIM_LOCK = 742_100_012;

/**
 * Up to `limit` events ready to handle, oldest operation first, at most one per record and never a
 * record another holder is working on or whose earlier event is still waiting: a record's events
 * are handled one at a time, in the order they happened.
 */
export async function claimEvents(db: Kysely<StateDatabase>, engine: Engine, owner: string, limit: number, leaseMs: number, now: number): Promise<InboxRow[]> {
  const claim = (trx: Kysely<StateDatabase>) => {
    let ready = trx
      .selectFrom("state_inbox as e")
      .select("e.id")
      .where((eb) =>
        eb.and([
          eb.or([eb.and([eb("e.status", "=", "pending"), eb("e.available_at", "<=", now)]), eb.and([eb("e.status", "=", "running"), eb("e.lease_until", "<", now)])]),
          eb.not(
            eb.exists(
              eb
                .selectFrom("state_inbox as o")
                .select(sql<number>`1`.as("one"))
                .whereRef("o.table_name", "=", "e.table_name")
                .whereRef("o.record_id", "=", "e.record_id")
                .whereRef("o.id", "<>", "e.id")
                .where((o) =>
                  o.or([
                    o.and([o("o.status", "=", "running"), o("o.lease_until", ">=", now)]),
                    o.and([
                      o("o.status", "in", ["pending", "running"]),
                      o.or([o("o.operation_at", "<", o.ref("e.operation_at")), o.and([o("o.operation_at", "=", o.ref("e.operation_at")), o("o.id", "<", o.ref("e.id"))])]),
                    ]),
                  ]),
                ),
            ),
          ),
        ]),
      )
      .orderBy("e.operation_at")
      .orderBy("e.id")
      .limit(limit);
    if (engine === "postgres") ready = ready.forUpdate().skipLocked();
    return trx
      .updateTable("state_inbox")
      .set((eb) => ({ status: "running", lease_owner: owner, lease_until: now + leaseMs, attempts: eb("attempts", "+", 1) }))
      .where("id", "in", ready)
      .returningAll()
      .execute();
  };
  if (engine === "sqlite") return claim(db);
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`.execute(trx);
    return claim(trx);
  });
}

/** Extends the leases this owner still holds; returns the ids it still owns (a lost lease means stop). */
export async function renewEvents(db: Kysely<StateDatabase>, ids: readonly number[], owner: string, leaseUntil: number): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable("state_inbox")
    .set({ lease_until: leaseUntil })
    .where("id", "in", [...ids])
    .where("lease_owner", "=", owner)
    .where("status", "=", "running")
    .returning("id")
    .execute();
  return rows.map((row) => Number(row.id));
}

/** Takes one tick of a scheduled job when it is due (or a run was asked for) and nobody holds it. */
export async function claimJob(db: Kysely<StateDatabase>, name: string, owner: string, leaseMs: number, now: number): Promise<JobRow | null> {
  const row = await db
    .updateTable("state_jobs")
    .set({ lease_owner: owner, lease_until: now + leaseMs, last_started_at: now, last_outcome: "running" })
    .where("name", "=", name)
    .where((eb) => eb.or([eb("next_run_at", "<=", now), eb("run_requested", "=", 1)]))
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

export async function renewJob(db: Kysely<StateDatabase>, name: string, owner: string, leaseUntil: number): Promise<boolean> {
  const result = await db.updateTable("state_jobs").set({ lease_until: leaseUntil }).where("name", "=", name).where("lease_owner", "=", owner).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
