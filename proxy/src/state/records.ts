/**
 * Small durable values for handlers and jobs: cursors (where a job got to, so a killed process
 * resumes there) and idempotency keys (first writer wins, so a replayed event finds what the first
 * run created instead of creating it again).
 */
import { sql, type Kysely } from "kysely";
import type { StateDatabase } from "./schema";

export class Cursors {
  constructor(private readonly db: Kysely<StateDatabase>) {}

  async get(name: string): Promise<string | null> {
    const row = await this.db.selectFrom("state_cursors").select("value").where("name", "=", name).executeTakeFirst();
    return row?.value ?? null;
  }

  async set(name: string, value: string, now: number = Date.now()): Promise<void> {
    await this.db
      .insertInto("state_cursors")
      .values({ name, value, updated_at: now })
      .onConflict((oc) => oc.column("name").doUpdateSet({ value, updated_at: now }))
      .execute();
  }

  async delete(name: string): Promise<void> {
    await this.db.deleteFrom("state_cursors").where("name", "=", name).execute();
  }
}

export class IdempotencyKeys {
  constructor(private readonly db: Kysely<StateDatabase>) {}

  async get(key: string): Promise<string | null> {
    const row = await this.db.selectFrom("state_keys").select("value").where("key", "=", key).executeTakeFirst();
    return row?.value ?? null;
  }

  /**
   * Stores `value` under `key` unless the key exists; returns what is stored (the first writer's
   * value) and whether this call stored it. Atomic on both engines.
   */
  async put(key: string, value: string, now: number = Date.now()): Promise<{ value: string; created: boolean }> {
    const inserted = await this.db.insertInto("state_keys").values({ key, value, created_at: now }).onConflict((oc) => oc.column("key").doNothing()).returning("value").executeTakeFirst();
    if (inserted) return { value: inserted.value, created: true };
    return { value: (await this.get(key)) ?? value, created: false };
  }

  /** Replaces the value of a key this caller owns (e.g. "creating" → the id it created). */
  async set(key: string, value: string, now: number = Date.now()): Promise<void> {
    await this.db
      .insertInto("state_keys")
      .values({ key, value, created_at: now })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
      .execute();
  }

  /** Replaces the value only if it is still `expected` (compare and swap); false when someone changed it first. Atomic on both engines. */
  async replace(key: string, expected: string, value: string): Promise<boolean> {
    const result = await this.db.updateTable("state_keys").set({ value }).where("key", "=", key).where("value", "=", expected).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(key: string, expected?: string): Promise<boolean> {
    let query = this.db.deleteFrom("state_keys").where("key", "=", key);
    // With `expected`: only while the value is still that one (a holder giving back only what it holds).
    if (expected !== undefined) query = query.where("value", "=", expected);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Forgets keys created before `before` (only those starting with `prefix`, when given). */
  async purge(before: number, prefix?: string): Promise<number> {
    let query = this.db.deleteFrom("state_keys").where("created_at", "<", before);
    if (prefix !== undefined) query = query.where(sql<string>`substr(${sql.ref("key")}, 1, ${prefix.length})`, "=", prefix);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
