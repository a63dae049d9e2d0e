/**
 * The key the proxy signs its session tokens with, the same on every instance of a deployment and
 * across restarts: SESSION_SIGNING_KEY when configured, else a key the first instance stores in the
 * shared state store (first writer wins, atomically on both engines; every later instance and
 * restart reads that one). Never a key of one process.
 */
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { StateDatabase } from "../state/schema";
import type { SessionKeys } from "./sessionTokens";

/** Kept with the cursors: a durable value that no retention purge touches. */
const STORED_KEY = "proxy:session-signing-key";

export async function storedSessionKey(db: Kysely<StateDatabase>, now: number = Date.now()): Promise<Uint8Array> {
  const candidate = randomBytes(32).toString("base64url");
  await db.insertInto("state_cursors").values({ name: STORED_KEY, value: candidate, updated_at: now }).onConflict((oc) => oc.column("name").doNothing()).execute();
  const stored = await db.selectFrom("state_cursors").select("value").where("name", "=", STORED_KEY).executeTakeFirstOrThrow();
  return Buffer.from(stored.value, "base64url");
}

/** The configured keys, or the state store's. */
export async function sessionKeys(configured: SessionKeys | null, db: Kysely<StateDatabase>): Promise<SessionKeys> {
  return configured ?? { current: await storedSessionKey(db) };
}
