/**
 * S8 usage end to end, over real HTTP against the mocks on a SQLite file: downloads and ZIP entries
 * are stored and survive a restart; the roll-up writes psh_assetusage per asset, day and record
 * (downloads where they were made, PhotoShelter's views on every record the asset is linked to),
 * and a rerun writes nothing; Dataverse 429 and PhotoShelter 429/5xx on the way still end with the
 * right totals.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { dataverseOf } from "../../mock-server/dataverse";
import { ACCOUNTS, CASES } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { startProxy, type RunningProxy } from "../../proxy/src/server";
import { assetLink, assetUsage, regardingKey } from "../../solution/model";
import { until } from "../support/automation";
import { startStack, type Stack } from "./proxyHarness";

jest.setTimeout(180_000);

const tmp = mkdtempSync(path.join(os.tmpdir(), "psh-usage-"));
const LITWARE = `account:${ACCOUNTS.litware}`;
const U = assetUsage.columns;
const L = assetLink.columns;
const today = () => new Date().toISOString().slice(0, 10);

let stack: Stack;
let proxy: RunningProxy;
let admin: string;

beforeAll(async () => {
  stack = await startStack({
    STATE_URL: `sqlite:${path.join(tmp, "proxy.db")}`,
    JOBS_POLL_MS: "50",
    JOBS_BACKOFF_BASE_MS: "100",
    JOBS_BACKOFF_CAP_MS: "1000",
    // Only runs on request in these tests.
    USAGE_ROLLUP_SCHEDULE: "0 0 1 1 *",
    LOG_LEVEL: "warn",
  });
  proxy = stack.proxy;
  admin = await stack.token(USERS.admin.upn);
});
afterAll(async () => {
  await proxy?.close();
  await stack?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const call = (url: string, token: string, init: RequestInit = {}) =>
  fetch(`${proxy.url}${url}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.body ? { "content-type": "application/json" } : {}), ...init.headers } });

/** Rows the roll-up wrote for a day, as "asset record" → { downloads, views }. */
function usageRows(day: string): Map<string, { downloads: number; views: number; version: unknown }> {
  const rows = dataverseOf(stack.mock.context).store.rows(assetUsage.logicalName).filter((row) => row[U.period.logicalName] === day);
  const byKey = new Map<string, { downloads: number; views: number; version: unknown }>();
  for (const row of rows) {
    const key = `${row[U.mediaId.logicalName]} ${row[U.regardingKey.logicalName]}`;
    if (byKey.has(key)) throw new Error(`two psh_assetusage rows for ${key} on ${day}`);
    byKey.set(key, { downloads: Number(row[U.downloads.logicalName]), views: Number(row[U.views.logicalName]), version: row.versionnumber });
  }
  return byKey;
}

/** Asks for a roll-up and waits until one has finished well after the request (failed runs are retried by the runner). */
async function rollUp(): Promise<Record<string, number>> {
  const before = (await proxy.backbone.store.jobs.get("usage-rollup"))!;
  const requested = Date.now();
  expect((await call("/v1/admin/jobs/usage-rollup/run", admin, { method: "POST" })).status).toBe(202);
  let result: Record<string, number> = {};
  await until(async () => {
    const job = (await proxy.backbone.store.jobs.get("usage-rollup"))!;
    if (job.runs <= before.runs || job.lastOutcome !== "ok" || (job.lastStartedAt ?? 0) < requested) return false;
    result = job.lastResult as Record<string, number>;
    return true;
  }, "the usage roll-up finished");
  return result;
}

/** Views the mock PhotoShelter counts: a picture with a long edge of 600 px or more. */
async function view(assetId: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const response = await fetch(`${stack.mock.url}/img-get2/${assetId}/fill=1200x1200`);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  }
}

async function download(token: string, record: string, assetId: string): Promise<void> {
  const response = await call(`/v1/assets/${assetId}/download?record=${record}`, token);
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

/** Active links of assets to accounts, campaigns and opportunities, by media id. */
function linkedRecords(): Map<string, string[]> {
  const links = new Map<string, string[]>();
  for (const row of dataverseOf(stack.mock.context).store.rows(assetLink.logicalName)) {
    const record = String(row[L.regardingKey.logicalName]);
    if (row.statecode !== 0 || !/^(account|campaign|opportunity):/.test(record)) continue;
    links.set(String(row[L.mediaId.logicalName]), [...(links.get(String(row[L.mediaId.logicalName])) ?? []), record]);
  }
  return links;
}

let assets: string[] = [];
let caseAccount: string;
let caseRecord: string;

describe("S8 usage", () => {
  it("stores every download and ZIP entry, and keeps them over a restart", async () => {
    const rep = await stack.token(USERS.salesNorthAmerica.upn);
    const found = (await (await call(`/v1/search?record=${LITWARE}&perPage=3`, rep)).json()) as { items: Array<{ id: string }> };
    assets = found.items.map((item) => item.id);
    expect(assets).toHaveLength(3);
    await download(rep, LITWARE, assets[0]);
    const zip = await call(`/v1/downloads/zip?record=${LITWARE}`, rep, { method: "POST", body: JSON.stringify({ ids: [assets[0], assets[1]] }) });
    expect(zip.status).toBe(200);
    await zip.arrayBuffer();
    // A case's download counts for the case's customer account.
    const cases = dataverseOf(stack.mock.context).store;
    const withAccount = Object.values(CASES).find((id) => (cases.get("incident", id)?.customerid as { table?: string } | null)?.table === "account")!;
    caseRecord = `incident:${withAccount}`;
    caseAccount = regardingKey("account", (cases.get("incident", withAccount)!.customerid as { id: string }).id);
    const agent = await stack.token(USERS.serviceAgent.upn);
    const seen = (await (await call(`/v1/search?record=${caseRecord}&perPage=10`, agent)).json()) as { items: Array<{ id: string }> };
    assets.push(seen.items.map((item) => item.id).find((id) => !assets.includes(id))!);
    await download(agent, caseRecord, assets[3]);

    expect(await proxy.services.usage.count()).toBe(4);
    const config = proxy.services.config;
    await proxy.close();
    proxy = await startProxy({ ...config, port: 0 });
    expect(await proxy.services.usage.count()).toBe(4);
    expect((await proxy.services.state.usage.recent(4)).map((e) => `${e.kind} ${e.assetId} ${e.record}`).sort()).toEqual(
      [`download ${assets[0]} ${LITWARE}`, `zip ${assets[0]} ${LITWARE}`, `zip ${assets[1]} ${LITWARE}`, `download ${assets[3]} ${caseRecord}`].sort(),
    );
  });

  it("writes psh_assetusage per asset, day and record — downloads where they were made, views on every linked record — and a rerun writes nothing", async () => {
    const first = await rollUp();
    const day = today();
    let rows = usageRows(day);
    expect(rows.get(`${assets[0]} ${LITWARE}`)).toMatchObject({ downloads: 2, views: 0 });
    expect(rows.get(`${assets[1]} ${LITWARE}`)).toMatchObject({ downloads: 1, views: 0 });
    expect(rows.get(`${assets[3]} ${caseAccount}`)).toMatchObject({ downloads: 1, views: 0 });
    expect(rows.size).toBe(3);
    expect(first).toMatchObject({ events: 4, rows: 3, changeSets: 1, viewsAdded: 0 });

    // Views after the first reading (the baseline) count for today, on every record the asset is linked to.
    const links = linkedRecords();
    const [viewed, records] = [...links.entries()].find(([, linked]) => linked.length >= 2) ?? [...links.entries()][0];
    await view(viewed, 3);
    const second = await rollUp();
    rows = usageRows(day);
    for (const record of records) expect(rows.get(`${viewed} ${record}`)).toMatchObject({ views: 3 });
    expect(second).toMatchObject({ events: 0, viewsAdded: 3, rows: records.length });
    const before = new Map(rows);

    const third = await rollUp();
    expect(third).toMatchObject({ events: 0, viewsAdded: 0, pairs: 0, rows: 0, changeSets: 0 });
    expect(usageRows(day)).toEqual(before);
  });

  it("ends with the right totals when Dataverse answers 429 and PhotoShelter 429 and 5xx during the roll-up", async () => {
    const rep = await stack.token(USERS.salesNorthAmerica.upn);
    await download(rep, LITWARE, assets[2]);
    await download(rep, LITWARE, assets[2]);
    const links = linkedRecords();
    const [viewed, records] = [...links.entries()].find(([, linked]) => linked.length >= 2) ?? [...links.entries()][0];
    await view(viewed, 2);
    stack.admin.faults.add({ kind: "rateLimit", path: "/api/data/v9.2/$batch", retryAfterSeconds: 1, times: 4 });
    stack.admin.faults.add({ kind: "rateLimit", pathPattern: "^/psapi/v4\\.0/media/", retryAfterSeconds: 1, times: 3 });
    stack.admin.faults.add({ kind: "error", status: 503, pathPattern: "^/psapi/v4\\.0/media/", times: 4 });
    const batchesBefore = stack.admin.requests.count({ path: "/api/data/v9.2/$batch", method: "POST" });
    await rollUp();
    const rows = usageRows(today());
    expect(rows.get(`${assets[2]} ${LITWARE}`)).toMatchObject({ downloads: 2, views: 0 });
    expect(rows.get(`${assets[0]} ${LITWARE}`)).toMatchObject({ downloads: 2 });
    for (const record of records) expect(rows.get(`${viewed} ${record}`)).toMatchObject({ views: 5 });
    // The throttled change sets were sent again.
    expect(stack.admin.requests.count({ path: "/api/data/v9.2/$batch", method: "POST" }) - batchesBefore).toBeGreaterThan(1);
    const job = (await proxy.backbone.store.jobs.get("usage-rollup"))!;
    expect(job.failures).toBeGreaterThanOrEqual(1);
    expect(await proxy.backbone.store.usage.pendingCount()).toBe(0);
  });
});
