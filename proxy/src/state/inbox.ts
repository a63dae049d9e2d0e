/**
 * The durable inbox of Dataverse webhook deliveries. A delivery is written once per dedupe key in
 * one statement (a redelivery finds its key and changes nothing); the runner claims events with a
 * lease, handles them, and finishes each as done, back to pending with a delay, or parked.
 */
import type { Kysely, Selectable } from "kysely";
import { claimEvents, renewEvents, type InboxRow } from "./claims";
import type { Engine } from "./migrations";
import type { EventStatus, InboxTable, StateDatabase } from "./schema";

export interface NewEvent {
  dedupeKey: string;
  message: string;
  table: string;
  recordId: string;
  correlationId: string;
  operationAt: number;
  body: string;
}

export interface InboxEvent extends NewEvent {
  id: number;
  receivedAt: number;
  status: EventStatus;
  attempts: number;
  availableAt: number;
  leaseOwner: string | null;
  leaseUntil: number | null;
  /** What each handler that finished reported, by handler name (a retry skips these handlers). */
  results: Record<string, Record<string, unknown>>;
  lastError: string | null;
  finishedAt: number | null;
}

export function toEvent(row: Selectable<InboxTable> | InboxRow): InboxEvent {
  let results: InboxEvent["results"] = {};
  try {
    const parsed = JSON.parse(row.handler_results) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) results = parsed as InboxEvent["results"];
  } catch {
    results = {};
  }
  return {
    id: Number(row.id),
    dedupeKey: row.dedupe_key,
    message: row.message,
    table: row.table_name,
    recordId: row.record_id,
    correlationId: row.correlation_id,
    operationAt: Number(row.operation_at),
    receivedAt: Number(row.received_at),
    body: row.body,
    status: row.status,
    attempts: row.attempts,
    availableAt: Number(row.available_at),
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until === null ? null : Number(row.lease_until),
    results,
    lastError: row.last_error,
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  };
}

/** Longest error text kept on an event (the rest is in the log). */
const MAX_ERROR = 2000;

export class Inbox {
  constructor(
    private readonly db: Kysely<StateDatabase>,
    private readonly engine: Engine,
  ) {}

  /** Stores a delivery unless its dedupe key is known; `duplicate` says which. */
  async enqueue(event: NewEvent, now: number = Date.now()): Promise<{ id: number; duplicate: boolean }> {
    const inserted = await this.db
      .insertInto("state_inbox")
      .values({
        dedupe_key: event.dedupeKey,
        message: event.message,
        table_name: event.table,
        record_id: event.recordId,
        correlation_id: event.correlationId,
        operation_at: event.operationAt,
        received_at: now,
        body: event.body,
        status: "pending",
        attempts: 0,
        available_at: now,
        handler_results: "{}",
      })
      .onConflict((oc) => oc.column("dedupe_key").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (inserted) return { id: Number(inserted.id), duplicate: false };
    const existing = await this.db.selectFrom("state_inbox").select("id").where("dedupe_key", "=", event.dedupeKey).executeTakeFirstOrThrow();
    return { id: Number(existing.id), duplicate: true };
  }

  async claim(owner: string, limit: number, leaseMs: number, now: number = Date.now()): Promise<InboxEvent[]> {
    if (limit <= 0) return [];
    return (await claimEvents(this.db, this.engine, owner, limit, leaseMs, now)).map(toEvent);
  }

  renew(ids: readonly number[], owner: string, leaseUntil: number): Promise<number[]> {
    return renewEvents(this.db, ids, owner, leaseUntil);
  }

  /** Remembers what the handlers that finished reported, so a retry of the event skips them. */
  async handlerDone(id: number, owner: string, results: InboxEvent["results"]): Promise<boolean> {
    const result = await this.db.updateTable("state_inbox").set({ handler_results: JSON.stringify(results) }).where("id", "=", id).where("lease_owner", "=", owner).where("status", "=", "running").executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Marks a held event handled, with what its handlers reported (when given). */
  async complete(id: number, owner: string, now: number = Date.now(), results?: InboxEvent["results"]): Promise<boolean> {
    const result = await this.db
      .updateTable("state_inbox")
      .set({ status: "done", lease_owner: null, lease_until: null, last_error: null, finished_at: now, ...(results ? { handler_results: JSON.stringify(results) } : {}) })
      .where("id", "=", id)
      .where("lease_owner", "=", owner)
      .where("status", "=", "running")
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** After a failed attempt: parked when it was the last allowed, else pending again after `delayMs`. */
  async fail(id: number, owner: string, error: string, options: { maxAttempts: number; delayMs: number; now?: number }): Promise<"retry" | "parked" | "lost"> {
    const now = options.now ?? Date.now();
    const row = await this.db.selectFrom("state_inbox").select(["attempts", "lease_owner", "status"]).where("id", "=", id).executeTakeFirst();
    if (!row || row.lease_owner !== owner || row.status !== "running") return "lost";
    const parked = row.attempts >= options.maxAttempts;
    const result = await this.db
      .updateTable("state_inbox")
      .set(
        parked
          ? { status: "parked", lease_owner: null, lease_until: null, last_error: error.slice(0, MAX_ERROR), finished_at: now }
          : { status: "pending", lease_owner: null, lease_until: null, last_error: error.slice(0, MAX_ERROR), available_at: now + options.delayMs },
      )
      .where("id", "=", id)
      .where("lease_owner", "=", owner)
      .where("status", "=", "running")
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return "lost";
    return parked ? "parked" : "retry";
  }

  /** Gives an event back untouched (shutdown): the attempt does not count. */
  async release(id: number, owner: string, now: number = Date.now()): Promise<boolean> {
    const result = await this.db
      .updateTable("state_inbox")
      .set((eb) => ({ status: "pending", lease_owner: null, lease_until: null, available_at: now, attempts: eb("attempts", "-", 1) }))
      .where("id", "=", id)
      .where("lease_owner", "=", owner)
      .where("status", "=", "running")
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** An administrator's retry of a parked (or done) event: pending now, with its attempts reset. */
  async retry(id: number, now: number = Date.now()): Promise<InboxEvent | null> {
    const row = await this.db
      .updateTable("state_inbox")
      .set({ status: "pending", attempts: 0, available_at: now, finished_at: null, lease_owner: null, lease_until: null })
      .where("id", "=", id)
      .where("status", "in", ["parked", "done"])
      .returningAll()
      .executeTakeFirst();
    return row ? toEvent(row) : null;
  }

  async get(id: number): Promise<InboxEvent | null> {
    const row = await this.db.selectFrom("state_inbox").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toEvent(row) : null;
  }

  /** A page of events, newest first; `before` is the last id of the previous page. */
  async list(options: { status?: EventStatus; limit: number; before?: number }): Promise<InboxEvent[]> {
    let query = this.db.selectFrom("state_inbox").selectAll().orderBy("id", "desc").limit(options.limit);
    if (options.status) query = query.where("status", "=", options.status);
    if (options.before !== undefined) query = query.where("id", "<", options.before);
    return (await query.execute()).map(toEvent);
  }

  /** When the newest event was received (an authenticated delivery), or null. */
  async lastReceivedAt(): Promise<number | null> {
    const row = await this.db.selectFrom("state_inbox").select("received_at").orderBy("id", "desc").limit(1).executeTakeFirst();
    return row?.received_at ?? null;
  }

  async counts(): Promise<Record<EventStatus, number>> {
    const rows = await this.db.selectFrom("state_inbox").select((eb) => ["status", eb.fn.countAll<number>().as("n")]).groupBy("status").execute();
    const counts: Record<EventStatus, number> = { pending: 0, running: 0, done: 0, parked: 0 };
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  /** Forgets handled events finished before `before` (their dedupe keys go with them). */
  async purgeDone(before: number): Promise<number> {
    const result = await this.db.deleteFrom("state_inbox").where("status", "=", "done").where("finished_at", "<", before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
