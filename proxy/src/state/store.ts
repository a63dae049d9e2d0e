/**
 * The proxy's state store: one schema and one code path (Kysely) on two engines — SQLite
 * (better-sqlite3, WAL) by default, PostgreSQL (pg) for several instances. `openStore` connects,
 * refuses a schema newer than this code, applies the migrations this code has, and hands out the
 * repositories. Anything that stops it is a StateError naming STATE_URL.
 */
import Database from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationProvider } from "kysely";
import { mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { Inbox } from "./inbox";
import { JobRecords } from "./jobRecords";
import { MEMORY, StateError, type StateLocation } from "./location";
import { migrations, type Engine } from "./migrations";
import { Cursors, IdempotencyKeys } from "./records";
import type { StateDatabase } from "./schema";
import { UsageStore } from "./usage";

export interface StateRepositories {
  inbox: Inbox;
  jobs: JobRecords;
  cursors: Cursors;
  keys: IdempotencyKeys;
  usage: UsageStore;
}

export interface StateStore extends StateRepositories {
  engine: Engine;
  /** Where it is, for logs and messages (a file, or host:port/database; never a password). */
  where: string;
  db: Kysely<StateDatabase>;
  /** Runs `work` in one transaction; the repositories it gets write inside it. */
  transaction<T>(work: (tx: StateRepositories) => Promise<T>): Promise<T>;
  /** Throws when the database cannot be reached (for /readyz). */
  ping(): Promise<void>;
  /** The last migration applied. */
  schemaVersion(): Promise<string | null>;
  close(): Promise<void>;
}

const MIGRATION_TABLE = "state_migration";
const MIGRATION_LOCK_TABLE = "state_migration_lock";

function repositories(db: Kysely<StateDatabase>, engine: Engine): StateRepositories {
  return { inbox: new Inbox(db, engine), jobs: new JobRecords(db), cursors: new Cursors(db), keys: new IdempotencyKeys(db), usage: new UsageStore(db) };
}

/** BIGINT (times, counts) as JavaScript numbers: every value we keep fits in 2^53. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => (oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as "text"))) as typeof pg.types.getTypeParser,
};

function openSqlite(file: string): Kysely<StateDatabase> {
  let database: Database.Database;
  try {
    if (file !== MEMORY) mkdirSync(path.dirname(file), { recursive: true });
    database = new Database(file);
    database.pragma("busy_timeout = 5000");
    if (file !== MEMORY) database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
    // Reads the header: a file that is not a database fails here, not at the first query.
    database.pragma("schema_version");
  } catch (error) {
    throw new StateError(`cannot open the SQLite database ${file}: ${(error as Error).message}`);
  }
  return new Kysely<StateDatabase>({ dialect: new SqliteDialect({ database }) });
}

async function openPostgres(url: string, display: string, onError: (error: Error) => void): Promise<Kysely<StateDatabase>> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000, types: pgTypes });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on("error", onError);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StateError(`cannot reach PostgreSQL at ${display}: ${(error as Error).message}`);
  }
  return new Kysely<StateDatabase>({ dialect: new PostgresDialect({ pool }) });
}

async function migrate(db: Kysely<StateDatabase>, engine: Engine, where: string): Promise<void> {
  const known = migrations(engine);
  const names = Object.keys(known).sort();
  const tables = await db.introspection.getTables();
  if (tables.some((table) => table.name === MIGRATION_TABLE)) {
    const applied = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)} order by name`.execute(db);
    const unknown = applied.rows.map((row) => row.name).filter((name) => !names.includes(name));
    if (unknown.length > 0) {
      throw new StateError(
        `the database at ${where} has schema version ${unknown[unknown.length - 1]}, newer than this proxy knows (${names[names.length - 1]}): run the newer proxy, or point STATE_URL at another database`,
      );
    }
  }
  const provider: MigrationProvider = { getMigrations: async () => known };
  const migrator = new Migrator({ db, provider, migrationTableName: MIGRATION_TABLE, migrationLockTableName: MIGRATION_LOCK_TABLE });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new StateError(`migrating the database at ${where} failed: ${(error as Error).message ?? String(error)}`);
}

export interface OpenOptions {
  /** Where a dropped idle PostgreSQL connection is reported (default: ignored). */
  onError?: (error: Error) => void;
}

export async function openStore(location: StateLocation, options: OpenOptions = {}): Promise<StateStore> {
  const engine = location.engine;
  const where = location.engine === "sqlite" ? location.file : location.display;
  const db = location.engine === "sqlite" ? openSqlite(location.file) : await openPostgres(location.url, location.display, options.onError ?? (() => undefined));
  try {
    await migrate(db, engine, where);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
  return {
    engine,
    where,
    db,
    ...repositories(db, engine),
    transaction: (work) => db.transaction().execute((trx) => work(repositories(trx, engine))),
    async ping() {
      await sql`select 1`.execute(db);
    },
    async schemaVersion() {
      const rows = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)} order by name desc limit 1`.execute(db);
      return rows.rows[0]?.name ?? null;
    },
    close: () => db.destroy(),
  };
}
