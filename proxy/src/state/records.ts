/**
 * Small durable values for handlers and jobs: cursors (where a job got to, so a killed process
 * resumes there) and idempotency keys (first writer wins, so a replayed event finds what the first
 * run created instead of creating it again).
 */
import type { Kysely } from "kysely";
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

  async delete(key: string): Promise<boolean> {
    const result = await this.db.deleteFrom("state_keys").where("key", "=", key).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async purge(before: number): Promise<number> {
    const result = await this.db.deleteFrom("state_keys").where("created_at", "<", before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
