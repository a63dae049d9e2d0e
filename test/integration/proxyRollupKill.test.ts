/**
 * The proxy killed with SIGKILL in the middle of a usage roll-up, and started again on the same
 * SQLite file, finishes the roll-up: every psh_assetusage row is there once, with the right totals.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { adminOf } from "../../mock-server/admin";
import { dataverseOf } from "../../mock-server/dataverse";
import { ACCOUNTS } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { RunningMockServer, startMockServer } from "../../mock-server/server";
import { openStore, parseStateUrl } from "../../proxy/src/state";
import { assetUsage } from "../../solution/model";
import { until } from "../support/automation";
import { startProxyProcess } from "../support/proxyProcess";

jest.setTimeout(300_000);

const tmp = mkdtempSync(path.join(os.tmpdir(), "psh-rollup-kill-"));
const STATE_URL = `sqlite:${path.join(tmp, "proxy.db")}`;
const U = assetUsage.columns;
const DAYS = ["2026-02-01", "2026-02-02", "2026-02-03"];
const RECORDS = [ACCOUNTS.litware, ACCOUNTS.northwind, ACCOUNTS.fabrikam, ACCOUNTS.tailspin].map((id) => `account:${id}`);
const ASSETS = Array.from({ length: 50 }, (_, n) => `I${String(n + 1).padStart(15, "0")}`);
/** 50 assets × 3 days × 4 accounts: 600 rows, 6 change sets. */
const GROUPS = ASSETS.length * DAYS.length * RECORDS.length;

let mock: RunningMockServer;
const children: ChildProcess[] = [];

beforeAll(async () => {
  mock = await startMockServer({ port: 0, media: 50 });
  // The downloads of past days, recorded before the roll-up: each group downloaded twice.
  const store = await openStore(parseStateUrl(STATE_URL));
  const events = ASSETS.flatMap((assetId, a) =>
    DAYS.flatMap((day) => RECORDS.flatMap((record) => [0, 1].map((n) => ({ at: `${day}T0${n + 1}:00:00.000Z`, kind: n === 0 ? "download" : "zip", assetId, userId: USERS.salesNorthAmerica.id, record, size: `original-${a}` })))),
  );
  await store.usage.record(events);
  await store.close();
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await mock?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** The proxy as `npm run proxy` runs it, against the in-process mock, on the shared SQLite file. */
function startProxy(): { child: ChildProcess; url: Promise<string> } {
  const started = startProxyProcess({ MOCK_PORT: String(mock.port), STATE_URL, JOBS_POLL_MS: "50", JOBS_LEASE_MS: "2000", USAGE_ROLLUP_SCHEDULE: "0 0 1 1 *" });
  children.push(started.child);
  return started;
}

function rows(): Map<string, number> {
  const byKey = new Map<string, number>();
  for (const row of dataverseOf(mock.context).store.rows(assetUsage.logicalName).filter((r) => DAYS.includes(String(r[U.period.logicalName])))) {
    const key = `${row[U.mediaId.logicalName]} ${row[U.period.logicalName]} ${row[U.regardingKey.logicalName]}`;
    if (byKey.has(key)) throw new Error(`two rows for ${key}`);
    byKey.set(key, Number(row[U.downloads.logicalName]));
  }
  return byKey;
}

async function adminToken(): Promise<string> {
  const response = await fetch(`${mock.url}/issuer/dev/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: USERS.admin.upn }) });
  return ((await response.json()) as { access_token: string }).access_token;
}

it("finishes a roll-up killed with SIGKILL half-way, with no duplicate psh_assetusage rows", async () => {
  const admin = adminOf(mock.context);
  const batches = () => admin.requests.count({ path: "/api/data/v9.2/$batch", method: "POST" });
  // Slow change sets, so the kill lands between two of them.
  const slow = admin.faults.add({ kind: "latency", path: "/api/data/v9.2/$batch", latencyMs: 400 });
  const token = await adminToken();

  const first = startProxy();
  const url = await first.url;
  expect((await fetch(`${url}/v1/admin/jobs/usage-rollup/run`, { method: "POST", headers: { authorization: `Bearer ${token}` } })).status).toBe(202);
  await until(() => batches() >= 2 && rows().size >= 100, "two change sets were written");
  first.child.kill("SIGKILL");
  await new Promise((resolve) => first.child.once("exit", resolve));
  const written = rows().size;
  expect(written).toBeGreaterThanOrEqual(100);
  expect(written).toBeLessThan(GROUPS);
  admin.faults.remove(slow.id);

  // The run asked for is still owed: the next instance takes it over once the dead one's lease runs out.
  const second = startProxy();
  await second.url;
  await until(() => rows().size === GROUPS, `all ${GROUPS} rows are written`, 120_000);
  const store = await openStore(parseStateUrl(STATE_URL));
  try {
    await until(async () => (await store.jobs.get("usage-rollup"))?.lastOutcome === "ok", "the roll-up finished");
    expect(await store.usage.pendingCount()).toBe(0);
  } finally {
    await store.close();
  }
  const totals = rows();
  expect(totals.size).toBe(GROUPS);
  expect([...totals.values()].every((downloads) => downloads === 2)).toBe(true);
  second.child.kill("SIGTERM");
  await new Promise((resolve) => second.child.once("exit", resolve));
});
