/**
 * The state store's contract, run against both engines: SQLite (a real file) and PostgreSQL (a
 * throwaway cluster from the Debian package). Each test gets a fresh database.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { openStore, parseStateUrl, StateError, type StateStore } from "../../proxy/src/state";
import { CLAIM_SETUP_POSTGRES, claimStatement } from "../../proxy/src/state/claims";
import type { NewEvent } from "../../proxy/src/state/inbox";
import { migrations } from "../../proxy/src/state/migrations";
import { startPostgres, type PostgresCluster } from "../support/postgres";

jest.setTimeout(120_000);

let cluster: PostgresCluster;
const tmp = mkdtempSync(path.join(os.tmpdir(), "psh-state-"));
let files = 0;

beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

type EngineName = "sqlite" | "postgres";
/** A fresh database of the engine, as a STATE_URL. */
async function freshUrl(engine: EngineName): Promise<string> {
  return engine === "sqlite" ? `sqlite:${path.join(tmp, `state-${++files}.db`)}` : cluster.createDatabase();
}

const event = (n: number, overrides: Partial<NewEvent> = {}): NewEvent => ({
  dedupeKey: `op-${n}:Update:account:${n}`,
  message: "Update",
  table: "account",
  recordId: `r-${n}`,
  correlationId: `c-${n}`,
  operationAt: 1000 + n,
  body: JSON.stringify({ n }),
  ...overrides,
});

describe.each<EngineName>(["sqlite", "postgres"])("state store on %s", (engine) => {
  let url: string;
  let store: StateStore;
  const opened: StateStore[] = [];
  const open = async () => {
    const s = await openStore(parseStateUrl(url));
    opened.push(s);
    return s;
  };

  beforeEach(async () => {
    url = await freshUrl(engine);
    store = await open();
  });
  afterEach(async () => {
    while (opened.length) await opened.pop()!.close();
  });

  const latest = Object.keys(migrations(engine)).sort().pop()!;

  it("migrates on first open, and again changes nothing", async () => {
    expect(store.engine).toBe(engine);
    expect(latest).toBe("0002_inbox_queue");
    expect(await store.schemaVersion()).toBe(latest);
    await store.inbox.enqueue(event(1), 0);
    const again = await open();
    expect(await again.schemaVersion()).toBe(latest);
    expect((await again.inbox.counts()).pending).toBe(1);
  });

  it("refuses a schema newer than the code, naming STATE_URL", async () => {
    await store.db.insertInto("state_migration" as never).values({ name: "9999_future", timestamp: new Date().toISOString() } as never).execute();
    await expect(open()).rejects.toThrow(new RegExp(`^STATE_URL: the database at .* has schema version 9999_future, newer than this proxy knows \\(${latest}\\)`));
  });

  it("claims by walking the queue index, so a claim's cost does not grow with the backlog", async () => {
    // A fresh store with a backlog and no planner statistics: where both planners, left alone, sort the whole backlog.
    for (let n = 0; n < 300; n++) await store.inbox.enqueue(event(n, { recordId: `r-${n % 40}` }), 0);
    const statement = claimStatement(engine, "me", 8, 60_000, 5_000);
    const plan =
      engine === "sqlite"
        ? (await sql<{ detail: string }>`explain query plan ${statement}`.execute(store.db)).rows.map((row) => row.detail)
        : await store.db.transaction().execute(async (trx) => {
            await CLAIM_SETUP_POSTGRES.execute(trx);
            return (await sql<{ "QUERY PLAN": string }>`explain ${statement}`.execute(trx)).rows.map((row) => row["QUERY PLAN"]);
          });
    const text = plan.join("\n");
    expect(text).toMatch(engine === "sqlite" ? /SCAN e USING INDEX state_inbox_queue_order/ : /Index Scan using state_inbox_queue_order on state_inbox e/);
    expect(text).not.toMatch(engine === "sqlite" ? /TEMP B-TREE/ : /Sort|Hash (Anti |Semi )?Join|Bitmap/);
    // The oldest heads of their records (an UPDATE returns its rows in no set order).
    const claimed = await store.inbox.claim("me", 8, 60_000, 5_000);
    expect(claimed.map((e) => e.operationAt).sort((a, b) => a - b)).toEqual(Array.from({ length: 8 }, (_, n) => 1000 + n));
  });

  it("stores a delivery once per dedupe key, even when the copies arrive together", async () => {
    const first = await store.inbox.enqueue(event(1), 0);
    expect(first.duplicate).toBe(false);
    const copies = await Promise.all(Array.from({ length: 20 }, () => store.inbox.enqueue(event(1), 0)));
    expect(copies.every((c) => c.duplicate && c.id === first.id)).toBe(true);
    const other = await open();
    const racing = await Promise.all([...Array.from({ length: 10 }, () => store.inbox.enqueue(event(2), 0)), ...Array.from({ length: 10 }, () => other.inbox.enqueue(event(2), 0))]);
    expect(racing.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await store.inbox.counts()).toEqual({ pending: 2, running: 0, done: 0, parked: 0 });
  });

  it("hands out a record's events one at a time, in the order they happened", async () => {
    const later = await store.inbox.enqueue(event(1, { dedupeKey: "later", recordId: "same", operationAt: 2000 }), 0);
    const earlier = await store.inbox.enqueue(event(2, { dedupeKey: "earlier", recordId: "same", operationAt: 1500 }), 0);
    const other = await store.inbox.enqueue(event(3, { recordId: "other" }), 0);
    const now = 10_000;
    const first = await store.inbox.claim("a", 10, 1000, now);
    expect(first.map((e) => e.id).sort()).toEqual([earlier.id, other.id].sort());
    expect(await store.inbox.claim("b", 10, 1000, now)).toEqual([]);
    expect(await store.inbox.complete(earlier.id, "a", now)).toBe(true);
    const second = await store.inbox.claim("b", 10, 1000, now);
    expect(second.map((e) => e.id)).toEqual([later.id]);
    expect(second[0]).toMatchObject({ status: "running", leaseOwner: "b", leaseUntil: now + 1000, attempts: 1 });
  });

  it("lets another holder take an event whose lease expired; the old holder's finish is refused", async () => {
    const { id } = await store.inbox.enqueue(event(1), 0);
    await store.inbox.claim("a", 1, 1000, 10_000);
    expect(await store.inbox.claim("b", 1, 1000, 10_500)).toEqual([]);
    expect(await store.inbox.renew([id], "a", 12_000)).toEqual([id]);
    expect(await store.inbox.claim("b", 1, 1000, 11_500)).toEqual([]);
    const taken = await store.inbox.claim("b", 1, 1000, 12_001);
    expect(taken).toMatchObject([{ id, leaseOwner: "b", attempts: 2 }]);
    expect(await store.inbox.renew([id], "a", 20_000)).toEqual([]);
    expect(await store.inbox.complete(id, "a", 12_002)).toBe(false);
    expect(await store.inbox.complete(id, "b", 12_002)).toBe(true);
    expect(await store.inbox.get(id)).toMatchObject({ status: "done", finishedAt: 12_002, leaseOwner: null });
  });

  it("retries a failed event after its delay, parks it after the last attempt, and an admin retry starts it over", async () => {
    const { id } = await store.inbox.enqueue(event(1), 0);
    let now = 10_000;
    await store.inbox.claim("a", 1, 1000, now);
    expect(await store.inbox.fail(id, "a", "boom 1", { maxAttempts: 2, delayMs: 500, now })).toBe("retry");
    expect(await store.inbox.claim("a", 1, 1000, now + 499)).toEqual([]);
    now += 500;
    expect(await store.inbox.handlerDone(id, "a", { x: {} })).toBe(false);
    const [again] = await store.inbox.claim("a", 1, 1000, now);
    expect(again).toMatchObject({ id, attempts: 2, lastError: "boom 1" });
    expect(await store.inbox.handlerDone(id, "a", { first: { linked: 2 } })).toBe(true);
    expect(await store.inbox.fail(id, "a", "boom 2", { maxAttempts: 2, delayMs: 500, now })).toBe("parked");
    expect(await store.inbox.claim("a", 1, 1000, now + 1_000_000)).toEqual([]);
    expect(await store.inbox.list({ status: "parked", limit: 10 })).toMatchObject([{ id, lastError: "boom 2", attempts: 2, results: { first: { linked: 2 } } }]);
    expect(await store.inbox.retry(id, now)).toMatchObject({ id, status: "pending", attempts: 0 });
    expect(await store.inbox.retry(id, now)).toBeNull();
    expect(await store.inbox.claim("a", 1, 1000, now)).toMatchObject([{ id, attempts: 1, results: { first: { linked: 2 } } }]);
  });

  it("gives an event back on release without counting the attempt", async () => {
    const { id } = await store.inbox.enqueue(event(1), 0);
    await store.inbox.claim("a", 1, 1000, 10_000);
    expect(await store.inbox.release(id, "a", 10_001)).toBe(true);
    expect(await store.inbox.get(id)).toMatchObject({ status: "pending", attempts: 0, leaseOwner: null });
  });

  it("never gives one event to two claimers racing on two connections", async () => {
    for (let n = 0; n < 200; n++) await store.inbox.enqueue(event(n, { recordId: `r-${n % 50}`, operationAt: n }), 0);
    const other = await open();
    const seen = new Map<number, string>();
    const worker = async (s: StateStore, name: string) => {
      for (let round = 0; round < 10_000; round++) {
        const claimed = await s.inbox.claim(name, 7, 60_000, 10_000);
        if (claimed.length === 0) {
          const counts = await s.inbox.counts();
          if (counts.pending === 0 && counts.running === 0) return;
          continue;
        }
        for (const e of claimed) {
          expect(seen.has(e.id)).toBe(false);
          seen.set(e.id, name);
          expect(await s.inbox.complete(e.id, name, 10_000)).toBe(true);
        }
      }
    };
    await Promise.all([worker(store, "a"), worker(other, "b"), worker(store, "c"), worker(other, "d")]);
    expect(seen.size).toBe(200);
    expect((await store.inbox.counts()).done).toBe(200);
  });

  it("pages events by status, newest first, and purges old handled ones", async () => {
    for (let n = 1; n <= 5; n++) await store.inbox.enqueue(event(n), 0);
    const page1 = await store.inbox.list({ status: "pending", limit: 2 });
    const page2 = await store.inbox.list({ status: "pending", limit: 2, before: page1[1].id });
    expect(page1.map((e) => e.recordId)).toEqual(["r-5", "r-4"]);
    expect(page2.map((e) => e.recordId)).toEqual(["r-3", "r-2"]);
    const claimed = await store.inbox.claim("a", 5, 1000, 10_000);
    for (const e of claimed) await store.inbox.complete(e.id, "a", e.recordId === "r-1" ? 100 : 20_000);
    expect(await store.inbox.purgeDone(1000)).toBe(1);
    expect((await store.inbox.counts()).done).toBe(4);
  });

  it("gives each tick of a scheduled job to one holder, keeps the next tick, and runs on request", async () => {
    await store.jobs.ensure([{ name: "sweep", schedule: "every 60000 ms", firstRunAt: 1000 }]);
    await store.jobs.ensure([{ name: "sweep", schedule: "every 60000 ms", firstRunAt: 999_999 }]);
    expect(await store.jobs.get("sweep")).toMatchObject({ nextRunAt: 1000, runs: 0 });
    expect(await store.jobs.claim("sweep", "a", 5000, 999)).toBeNull();
    const other = await open();
    const [a, b] = await Promise.all([store.jobs.claim("sweep", "a", 5000, 1000), other.jobs.claim("sweep", "b", 5000, 1000)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const holder = a ? "a" : "b";
    expect(await store.jobs.due(["sweep"], 1000)).toEqual([]);
    expect(await store.jobs.renew("sweep", holder, 9000)).toBe(true);
    expect(await store.jobs.finish("sweep", holder, { ok: true, result: { rows: 3 }, nextRunAt: 61_000, now: 1500 })).toBe(true);
    expect(await store.jobs.get("sweep")).toMatchObject({ nextRunAt: 61_000, runs: 1, lastOutcome: "ok", lastResult: { rows: 3 }, leaseOwner: null });
    expect(await store.jobs.claim("sweep", "a", 5000, 2000)).toBeNull();
    expect(await store.jobs.requestRun("sweep")).toBe(true);
    expect(await store.jobs.requestRun("nope")).toBe(false);
    expect(await store.jobs.due(["sweep"], 2000)).toEqual(["sweep"]);
    expect(await store.jobs.claim("sweep", "a", 5000, 2000)).toMatchObject({ runRequested: true, leaseOwner: "a" });
    expect(await store.jobs.finish("sweep", "a", { ok: false, error: "Dataverse said no", nextRunAt: 3000, now: 2500 })).toBe(true);
    expect(await store.jobs.get("sweep")).toMatchObject({ runRequested: false, failures: 1, consecutiveFailures: 1, lastError: "Dataverse said no", nextRunAt: 3000 });
    // A holder that dies: its lease runs out and the tick is taken over.
    await store.jobs.claim("sweep", "a", 5000, 3000);
    expect(await store.jobs.claim("sweep", "b", 5000, 7999)).toBeNull();
    expect(await store.jobs.claim("sweep", "b", 5000, 8001)).toMatchObject({ leaseOwner: "b" });
    expect(await store.jobs.finish("sweep", "a", { ok: true, nextRunAt: 0 })).toBe(false);
    expect(await store.jobs.release("sweep", "b")).toBe(true);
    expect(await store.jobs.due(["sweep"], 8002)).toEqual(["sweep"]);
    // A changed schedule takes its new first tick.
    await store.jobs.ensure([{ name: "sweep", schedule: "cron 0 3 * * *", firstRunAt: 123_456 }]);
    expect(await store.jobs.get("sweep")).toMatchObject({ schedule: "cron 0 3 * * *", nextRunAt: 123_456 });
  });

  it("keeps cursors and idempotency keys (first writer wins)", async () => {
    expect(await store.cursors.get("rollup")).toBeNull();
    await store.cursors.set("rollup", "41");
    await store.cursors.set("rollup", "42");
    expect(await store.cursors.get("rollup")).toBe("42");
    const other = await open();
    const puts = await Promise.all([store.keys.put("campaign:1", "A"), other.keys.put("campaign:1", "B"), store.keys.put("campaign:1", "C")]);
    expect(puts.filter((p) => p.created)).toHaveLength(1);
    const winner = puts.find((p) => p.created)!.value;
    expect(puts.every((p) => p.value === winner)).toBe(true);
    await store.keys.set("campaign:1", "C0000collection1");
    expect(await other.keys.get("campaign:1")).toBe("C0000collection1");
    expect(await store.keys.purge(Date.now() + 1)).toBe(1);
  });

  it("replaces or deletes a key only while it holds the expected value, and purges by prefix", async () => {
    const other = await open();
    await store.keys.put("upload:u|r|k", "claim-1");
    // Two holders race to move the same value on: exactly one wins.
    const swaps = await Promise.all([store.keys.replace("upload:u|r|k", "claim-1", "claim-2"), other.keys.replace("upload:u|r|k", "claim-1", "claim-3")]);
    expect(swaps.filter(Boolean)).toHaveLength(1);
    const now = (await store.keys.get("upload:u|r|k"))!;
    expect(now).toBe(swaps[0] ? "claim-2" : "claim-3");
    expect(await store.keys.delete("upload:u|r|k", "claim-1")).toBe(false);
    expect(await store.keys.get("upload:u|r|k")).toBe(now);
    expect(await store.keys.delete("upload:u|r|k", now)).toBe(true);
    expect(await store.keys.replace("upload:u|r|k", now, "x")).toBe(false);

    await store.keys.put("upload:old", "1", 1000);
    await store.keys.put("upload_old", "1", 1000);
    await store.keys.put("record-collection:old", "1", 1000);
    await store.keys.put("upload:new", "1", 5000);
    expect(await store.keys.purge(2000, "upload:")).toBe(1);
    expect(await Promise.all(["upload:old", "upload_old", "record-collection:old", "upload:new"].map((key) => store.keys.get(key)))).toEqual([null, "1", "1", "1"]);
  });

  it("rolls a transaction back whole", async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.cursors.set("a", "1");
        await tx.inbox.enqueue(event(1), 0);
        throw new Error("half-way");
      }),
    ).rejects.toThrow("half-way");
    expect(await store.cursors.get("a")).toBeNull();
    expect((await store.inbox.counts()).pending).toBe(0);
  });

  it("counts usage: downloads per asset, day and record; views as deltas after a baseline", async () => {
    await store.usage.record([
      { at: "2026-03-01T10:00:00.000Z", kind: "download", assetId: "I1", userId: "u", record: "account:a", size: "original" },
      { at: "2026-03-01T11:00:00.000Z", kind: "zip", assetId: "I1", userId: "u", record: "account:a", size: "original" },
      { at: "2026-03-01T12:00:00.000Z", kind: "download", assetId: "I1", userId: "u", record: "campaign:c", size: "large" },
      { at: "2026-03-02T12:00:00.000Z", kind: "download", assetId: "I2", userId: "u", record: "account:a", size: "original" },
    ]);
    expect(await store.usage.count()).toBe(4);
    const last = await store.usage.lastEventId();
    await store.usage.markEvents(0, last);
    await store.usage.markEvents(0, last);
    expect(await store.usage.pending(10)).toEqual([
      { assetId: "I1", day: "2026-03-01" },
      { assetId: "I2", day: "2026-03-02" },
    ]);
    expect(await store.usage.pending(10, { assetId: "I1", day: "2026-03-01" })).toEqual([{ assetId: "I2", day: "2026-03-02" }]);
    const downloads = await store.usage.downloads([{ assetId: "I1", day: "2026-03-01" }]);
    expect(downloads.sort((x, y) => x.record.localeCompare(y.record))).toEqual([
      { assetId: "I1", day: "2026-03-01", record: "account:a", downloads: 2 },
      { assetId: "I1", day: "2026-03-01", record: "campaign:c", downloads: 1 },
    ]);
    expect(await store.usage.recordViews("I1", 100, "2026-03-03")).toBe(0);
    expect(await store.usage.recordViews("I1", 100, "2026-03-03")).toBe(0);
    expect(await store.usage.recordViews("I1", 107, "2026-03-03")).toBe(7);
    expect(await store.usage.recordViews("I1", 110, "2026-03-03")).toBe(3);
    expect(await store.usage.views([{ assetId: "I1", day: "2026-03-03" }])).toEqual([{ assetId: "I1", day: "2026-03-03", views: 10 }]);
    expect(await store.usage.pendingCount()).toBe(3);
    await store.usage.donePending([{ assetId: "I1", day: "2026-03-01" }, { assetId: "I1", day: "2026-03-03" }]);
    expect(await store.usage.pending(10)).toEqual([{ assetId: "I2", day: "2026-03-02" }]);
  });
});

describe("STATE_URL problems stop the start with a message naming it", () => {
  it("rejects URLs it cannot use", () => {
    expect(() => parseStateUrl("mysql://db/x")).toThrow(/^STATE_URL: the scheme "mysql:" is not supported/);
    expect(() => parseStateUrl("sqlite:")).toThrow(/^STATE_URL: "sqlite:" names no file/);
    expect(() => parseStateUrl("proxy.db")).toThrow(StateError);
    expect(() => parseStateUrl("postgres://")).toThrow(/^STATE_URL: /);
    expect(parseStateUrl("sqlite:data/proxy.db", "/srv/app")).toEqual({ engine: "sqlite", file: "/srv/app/data/proxy.db" });
    expect(parseStateUrl("postgres://u:secret@db.example:6543/state")).toMatchObject({ engine: "postgres", display: "db.example:6543/state" });
  });

  it("names an unreachable PostgreSQL without its password", async () => {
    const closedPort = cluster.port === 1 ? 2 : 1;
    const error = await openStore(parseStateUrl(`postgres://u:hunter2@127.0.0.1:${closedPort}/state`)).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(StateError);
    expect((error as Error).message).toMatch(new RegExp(`^STATE_URL: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${closedPort}/state`));
    expect((error as Error).message).not.toContain("hunter2");
  });

  it("names a file that is not a SQLite database", async () => {
    const file = path.join(tmp, "not-a-database.db");
    writeFileSync(file, "this is a text file, not a database ".repeat(50));
    await expect(openStore(parseStateUrl(`sqlite:${file}`))).rejects.toThrow(/^STATE_URL: cannot open the SQLite database .*not-a-database\.db: file is not a database/);
  });

  it("uses WAL mode for a SQLite file", async () => {
    const file = path.join(tmp, "wal.db");
    const store = await openStore(parseStateUrl(`sqlite:${file}`));
    await store.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
  });
});
