/**
 * Claiming work, the one place where two instances compete: inbox events and scheduled-job ticks
 * are taken with a lease (owner + expiry) in a single conditional UPDATE, so exactly one claimer
 * wins on either engine. On PostgreSQL event claims select with FOR UPDATE SKIP LOCKED under a
 * transaction-scoped advisory lock, so claims never wait on rows being finished and two claimers
 * never split the events of one record; SQLite runs one write at a time, which gives the same.
 * An expired lease (its holder was killed) makes the work claimable again.
 */
import { Kysely, RawBuilder, Selectable, sql } from "kysely";
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
 *
 * Its cost must not grow with the backlog: the candidates are walked in queue order on the partial
 * index `state_inbox_queue_order` (migration 0002) and each is checked against its own record, so a
 * claim reads about `limit` events plus those its walk passes (the ones behind a busy record). Left
 * to themselves both planners prefer to gather every waiting event and sort (PostgreSQL also hashes
 * the whole backlog for the anti-joins): ≈ 15 ms (PostgreSQL) and 4.5 ms (SQLite) a claim at 2,500
 * waiting events instead of ≈ 0.2 ms. So the walk is asked for: `INDEXED BY` on SQLite, and on
 * PostgreSQL sorts, bitmap scans, hash and merge joins are off for the claim's own transaction.
 * The `status in ('pending', 'running')` literals repeat the partial index's condition, which SQLite
 * needs to use it (a bound parameter does not count).
 */
export async function claimEvents(db: Kysely<StateDatabase>, engine: Engine, owner: string, limit: number, leaseMs: number, now: number): Promise<InboxRow[]> {
  const claim = async (trx: Kysely<StateDatabase>) => (await claimStatement(engine, owner, limit, leaseMs, now).execute(trx)).rows;
  if (engine === "sqlite") return claim(db);
  return db.transaction().execute(async (trx) => {
    await CLAIM_SETUP_POSTGRES.execute(trx);
    return claim(trx);
  });
}

/** PostgreSQL, first in a claim's transaction: the advisory lock, and the plan settings (set_config(…, true) is SET LOCAL). */
export const CLAIM_SETUP_POSTGRES = sql`select pg_advisory_xact_lock(${CLAIM_LOCK}), set_config('enable_sort', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)`;

/** The claim as one statement (its plan is checked by the state store's tests). */
export function claimStatement(engine: Engine, owner: string, limit: number, leaseMs: number, now: number): RawBuilder<InboxRow> {
  const walk = engine === "sqlite" ? sql`indexed by state_inbox_queue_order` : sql``;
  const lock = engine === "postgres" ? sql`for update skip locked` : sql``;
  return sql<InboxRow>`
    update state_inbox
    set status = 'running', lease_owner = ${owner}, lease_until = ${now + leaseMs}, attempts = attempts + 1
    where id in (
      select e.id from state_inbox as e ${walk}
      where e.status in ('pending', 'running')
        and ((e.status = 'pending' and e.available_at <= ${now}) or (e.status = 'running' and e.lease_until < ${now}))
        and not exists (
          select 1 from state_inbox as o
          where o.table_name = e.table_name and o.record_id = e.record_id and o.id <> e.id
            and o.status = 'running' and o.lease_until >= ${now})
        and not exists (
          select 1 from state_inbox as o
          where o.table_name = e.table_name and o.record_id = e.record_id
            and o.status in ('pending', 'running')
            and (o.operation_at < e.operation_at or (o.operation_at = e.operation_at and o.id < e.id)))
      order by e.operation_at, e.id
      limit ${limit}
      ${lock})
    returning *`;
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
