/**
 * S5 rights sync end to end, on SQLite and on PostgreSQL, against the mocks over real HTTP:
 *   - rights, usage rights, expiry and version changed in PhotoShelter reach every link of the asset
 *     (statuses by the 0/14/30-day thresholds), in change sets of at most 100, and a rerun writes nothing;
 *   - PhotoShelter 429/503 and Dataverse 429/412 in the middle of a sync: it finishes, every link is
 *     right, no row is lost or doubled;
 *   - the proxy process killed with SIGKILL in the middle of a sync and started again resumes from its
 *     cursor and finishes, with no row doubled;
 *   - the calendar pass moves stored states on as days pass, without asking PhotoShelter.
 */
import type { ChildProcess } from "node:child_process";
import { rightsStatus, toStoredRightsStatus } from "../../contract/rights";
import { adminOf } from "../../mock-server/admin";
import { dataverseOf } from "../../mock-server/dataverse";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import type { Media } from "../../mock-server/photoshelter/library";
import { photoShelterOf } from "../../mock-server/photoshelter";
import { setCustomMetadata } from "../../mock-server/photoshelter/writes";
import { RunningMockServer, startMockServer } from "../../mock-server/server";
import pino from "pino";
import { RIGHTS_CURSOR } from "../../proxy/src/automation/rightsSync";
import { ClientCredentialsTokens, createDataverseClient } from "../../proxy/src/dataverse";
import { UpstreamHttp } from "../../proxy/src/upstream/http";
import { openStore, parseStateUrl } from "../../proxy/src/state";
import { assetLink, choices, regardingKey } from "../../solution/model";
import { until } from "../support/automation";
import { Databases, ENGINES, startAutomationStack, type AutomationStack } from "../support/automationStack";
import { startProxyProcess } from "../support/proxyProcess";

jest.setTimeout(300_000);

const databases = new Databases();
afterAll(() => databases.close());

const AL = assetLink.columns;
const STATUS = choices.rightsStatus.options;
/** Records the seeded links hang off: every asset is linked from each of them. */
const RECORDS = Array.from({ length: 4 }, (_, n) => regardingKey("account", `5eed0000-0000-4000-8000-${String(n + 1).padStart(12, "0")}`));
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

type Rows = ReturnType<ReturnType<typeof dataverseOf>["store"]["rows"]>;

/** What a link to this asset must say now. */
function expected(media: Media) {
  const status = toStoredRightsStatus(rightsStatus({ approvalStatus: media.custom.approvalStatus, expiresOn: media.custom.licenseExpirationDate, usageRights: media.custom.usageRights }, new Date()).status);
  return { [AL.rightsStatus.logicalName]: STATUS[status].value, [AL.expiresOn.logicalName]: media.custom.licenseExpirationDate, [AL.version.logicalName]: media.custom.assetVersion, [AL.usageRights.logicalName]: media.custom.usageRights };
}

/** Links of the seeded records, with a check that no (asset, record) pair has two rows. */
function seededLinks(rows: Rows): Rows {
  const mine = rows.filter((row) => RECORDS.includes(String(row[AL.regardingKey.logicalName])));
  const keys = new Set(mine.map((row) => `${row[AL.mediaId.logicalName]} ${row[AL.regardingKey.logicalName]}`));
  if (keys.size !== mine.length) throw new Error(`${mine.length - keys.size} asset links are doubled`);
  return mine;
}

/** Every asset linked from every seeded record, stale (unknown status, no version), synced long ago. */
async function seed(dataverse: { upsertMany: AutomationStack["proxy"]["services"]["dataverse"]["upsertMany"] }, media: readonly Media[]): Promise<void> {
  const rows = media.flatMap((m) =>
    RECORDS.map((record) => ({
      key: { [AL.mediaId.logicalName]: m.id, [AL.regardingKey.logicalName]: record },
      data: {
        [AL.name.logicalName]: m.fileName,
        [AL.linkType.logicalName]: choices.linkType.options.brand.value,
        [AL.rightsStatus.logicalName]: STATUS.unknown.value,
        [AL.source.logicalName]: choices.linkSource.options.manual.value,
        [AL.lastSyncedOn.logicalName]: "2020-01-01T00:00:00Z",
      },
    })),
  );
  await dataverse.upsertMany(assetLink, rows, 1000);
}

/** Changes assets in PhotoShelter as an editor would (each change moves the asset's modification time). */
function change(media: readonly Media[], round: number): void {
  media.forEach((m, i) => {
    const kind = (i + round) % 4;
    const values =
      kind === 0 ? { "Approval Status": "retired" } : kind === 1 ? { "License Expiration Date": day(10), "Approval Status": "approved" } : kind === 2 ? { "License Expiration Date": day(-3) } : { "Asset Version": `${round + 2}.0`, "Usage Rights": `Round ${round}: web and print` };
    setCustomMetadata(m, { custom_metadata: values });
  });
}

describe.each(ENGINES)("rights sync on %s", (engine) => {
  let stack: AutomationStack;
  const MEDIA = 150;
  beforeAll(async () => {
    stack = await startAutomationStack(engine, databases, { media: MEDIA, env: { RIGHTS_SYNC_PAGE_SIZE: "40" } });
    await seed(stack.proxy.services.dataverse, stack.photoShelter.library.media);
  });
  afterAll(() => stack?.close());

  const rows = () => dataverseOf(stack.mock.context).store.rows(assetLink.logicalName);
  const library = () => stack.photoShelter.library;
  const allRight = () => seededLinks(rows()).every((row) => Object.entries(expected(library().mediaById(String(row[AL.mediaId.logicalName]))!)).every(([column, value]) => (row[column] ?? null) === value));

  it("brings every link of every changed asset up to date, in change sets of at most 100, and a rerun writes nothing", async () => {
    const batches = () => stack.admin.requests.list({ path: "/api/data/v9.2/$batch", method: "POST" });
    stack.admin.requests.clear();
    const first = await stack.runJob("rights-sync");
    expect(first.lastResult).toMatchObject({ assetsChanged: MEDIA });
    // Every seeded link was stale; the demo's own links only where PhotoShelter changed since they were synced.
    expect(first.lastResult!.linksWritten).toBeGreaterThanOrEqual(MEDIA * RECORDS.length);
    expect(allRight()).toBe(true);
    expect(seededLinks(rows())).toHaveLength(MEDIA * RECORDS.length);
    const written = first.lastResult!.linksWritten as number;
    // Change sets of at most 100: as few batches as the written rows need (each page writes its own).
    expect(first.lastResult!.dataverseWrites).toBe(batches().length);
    expect(batches().length).toBeGreaterThanOrEqual(Math.ceil(written / 100));

    stack.admin.requests.clear();
    const again = await stack.runJob("rights-sync");
    expect(again.lastResult).toMatchObject({ linksWritten: 0, dataverseWrites: 0 });
    expect(batches()).toHaveLength(0);

    const changed = library().media.slice(0, 20);
    change(changed, 1);
    const third = await stack.runJob("rights-sync");
    // Exactly the links of the changed assets (the seeded ones and the demo's own links to them).
    const ofChanged = rows().filter((row) => row.statecode === 0 && changed.some((m) => m.id === row[AL.mediaId.logicalName]));
    expect(third.lastResult).toMatchObject({ linksWritten: ofChanged.length });
    expect(ofChanged.length).toBeGreaterThanOrEqual(changed.length * RECORDS.length);
    expect(allRight()).toBe(true);
    // Expiring in 10 days (≤ 14) is "expiring", 3 days ago "expired", retired "retired".
    const statuses = new Set(seededLinks(rows()).filter((row) => changed.some((m) => m.id === row[AL.mediaId.logicalName])).map((row) => row[AL.rightsStatus.logicalName]));
    for (const status of [STATUS.retired.value, STATUS.expiring.value, STATUS.expired.value]) expect(statuses).toContain(status);
  });

  it("finishes through PhotoShelter 429/503 and Dataverse 429/412 in the middle, nothing lost or doubled", async () => {
    const changed = library().media.slice(20, 140);
    change(changed, 2);
    const faults = [
      stack.admin.faults.add({ kind: "rateLimit", path: "/psapi/v4.0/search", retryAfterSeconds: 1, rate: 0.5, times: 2, seed: 7 }),
      stack.admin.faults.add({ kind: "error", path: "/psapi/v4.0/search", status: 503, rate: 0.5, times: 2, seed: 11 }),
      stack.admin.faults.add({ kind: "rateLimit", path: "/api/data/v9.2/$batch", retryAfterSeconds: 1, rate: 0.5, times: 3, seed: 3 }),
      stack.admin.faults.add({ kind: "error", path: "/api/data/v9.2/$batch", status: 412, rate: 0.5, times: 2, seed: 5 }),
    ];
    const before = seededLinks(rows()).length;
    stack.admin.requests.clear();
    await stack.runJob("rights-sync");
    // Each kind of failure happened on the way.
    const hit = stack.admin.requests.list().flatMap((request) => request.faults);
    for (const fault of faults) expect(hit).toContain(fault.id);
    expect(seededLinks(rows())).toHaveLength(before);
    expect(allRight()).toBe(true);
    const job = (await stack.proxy.backbone.store.jobs.get("rights-sync"))!;
    expect(job.failures).toBeGreaterThan(0);
  });

  it("moves stored states on as days pass, from the stored expiry alone", async () => {
    const [a, b] = seededLinks(rows()).filter((row) => row[AL.rightsStatus.logicalName] === STATUS.approved.value);
    const store = dataverseOf(stack.mock.context).store;
    store.put(assetLink.logicalName, String(a[AL.id.logicalName]), { ...a, [AL.expiresOn.logicalName]: day(-1) });
    store.put(assetLink.logicalName, String(b[AL.id.logicalName]), { ...b, [AL.expiresOn.logicalName]: day(20) });
    stack.admin.requests.clear();
    const job = await stack.runJob("rights-calendar");
    expect(job.lastResult).toMatchObject({ linksWritten: 2 });
    expect(store.get(assetLink.logicalName, String(a[AL.id.logicalName]))![AL.rightsStatus.logicalName]).toBe(STATUS.expired.value);
    expect(store.get(assetLink.logicalName, String(b[AL.id.logicalName]))![AL.rightsStatus.logicalName]).toBe(STATUS.expiring.value);
    expect(stack.admin.requests.count({ path: "/psapi" })).toBe(0);
  });

  it("flags the links of an asset deleted in PhotoShelter and deletes none; an asset PhotoShelter wrongly answered 404 for gets its rights back; a rerun writes nothing", async () => {
    const media = [...new Set(seededLinks(rows()).map((row) => String(row[AL.mediaId.logicalName])))];
    const [gone, flaky, kept] = media;
    const linksOf = (id: string) => rows().filter((row) => row[AL.mediaId.logicalName] === id);
    const before = { gone: linksOf(gone).length, kept: linksOf(kept).map((row) => row.versionnumber) };
    expect(library().deleteMedia(gone)).toBe(true);
    // PhotoShelter says 404 for an asset it still has (a permission slip, a bad moment): one run's worth.
    const slip = stack.admin.faults.add({ kind: "error", method: "GET", status: 404, pathPattern: `^/psapi/v4\\.0/media/${flaky}$` });
    const first = await stack.runJob("asset-existence");
    stack.admin.faults.remove(slip.id);
    expect(slip.hits).toBeGreaterThan(0);
    expect(first.lastResult).toMatchObject({ missing: 2, unreadable: 0, flagged: before.gone + linksOf(flaky).length, restored: 0 });
    for (const row of [...linksOf(gone), ...linksOf(flaky)]) {
      expect(row).toMatchObject({ [AL.needsReview.logicalName]: true, [AL.reviewReason.logicalName]: "Deleted in PhotoShelter", [AL.rightsStatus.logicalName]: STATUS.unknown.value, statecode: 0 });
    }
    expect(linksOf(gone)).toHaveLength(before.gone);
    expect(linksOf(kept).map((row) => row.versionnumber)).toEqual(before.kept);

    // The next day (the read cache long expired): the asset that was there all along is back as it was.
    stack.proxy.services.library.client.cache.clear();
    const second = await stack.runJob("asset-existence");
    expect(second.lastResult).toMatchObject({ missing: 1, flagged: 0, restored: linksOf(flaky).length });
    for (const row of linksOf(flaky)) {
      expect(row).toMatchObject({ [AL.needsReview.logicalName]: false, [AL.reviewReason.logicalName]: null, ...expected(library().mediaById(flaky)!) });
    }
    stack.proxy.services.library.client.cache.clear();
    expect((await stack.runJob("asset-existence")).lastResult).toMatchObject({ missing: 1, flagged: 0, restored: 0, dataverseWrites: 0 });
  });
});

describe.each(ENGINES)("a rights sync killed with SIGKILL on %s", (engine) => {
  let mock: RunningMockServer;
  const children: ChildProcess[] = [];
  const MEDIA = 300;
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await mock?.close();
  });

  /** The proxy in its own process on the given store, scheduled jobs only on request. */
  function startProxy(stateUrl: string): { child: ChildProcess; url: Promise<string> } {
    const never = "0 0 1 1 *";
    const started = startProxyProcess({ MOCK_PORT: String(mock.port), STATE_URL: stateUrl, JOBS_POLL_MS: "50", JOBS_LEASE_MS: "2000", RIGHTS_SYNC_PAGE_SIZE: "50", RIGHTS_SYNC_SCHEDULE: never, RIGHTS_CALENDAR_SCHEDULE: never, ASSET_EXISTENCE_SCHEDULE: never, EVENT_SWEEP_SCHEDULE: never, PARTNER_RECONCILE_SCHEDULE: never, USAGE_ROLLUP_SCHEDULE: never });
    children.push(started.child);
    return started;
  }

  it("resumes from its cursor after a restart and finishes, with no row doubled", async () => {
    mock = await startMockServer({ port: 0, media: MEDIA });
    const stateUrl = await databases.url(engine);
    const admin = adminOf(mock.context);
    const dataverse = dataverseOf(mock.context);
    const library = () => photoShelterOf(mock.context).library;
    const token = ((await (await fetch(`${mock.url}/issuer/dev/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: USERS.admin.upn }) })).json()) as { access_token: string }).access_token;

    const first = startProxy(stateUrl);
    const url = await first.url;
    // Seeded over the Web API with the proxy application's own credentials.
    const http = new UpstreamHttp("Dataverse", { timeoutMs: 10_000, connections: 4, maxRetries: 2, retryBudgetMs: 10_000, breakerFailures: 50, breakerResetMs: 1000 }, pino({ level: "silent" }));
    const client = createDataverseClient({ url: mock.url, http, tokens: new ClientCredentialsTokens({ tokenUrl: `${mock.url}/issuer/token`, clientId: mock.context.settings.clientId, clientSecret: mock.context.settings.clientSecret, scope: `${mock.url}/.default` }, http) });
    await seed(client, library().media);
    await http.close();
    admin.requests.clear();

    // Slow change sets, so the kill lands between two of them.
    const slow = admin.faults.add({ kind: "latency", path: "/api/data/v9.2/$batch", latencyMs: 300 });
    const batches = () => admin.requests.count({ path: "/api/data/v9.2/$batch", method: "POST" });
    expect((await fetch(`${url}/v1/admin/jobs/rights-sync/run`, { method: "POST", headers: { authorization: `Bearer ${token}` } })).status).toBe(202);
    await until(() => batches() >= 3, "three change sets were written");
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    admin.faults.remove(slow.id);
    const synced = () => seededLinks(dataverse.store.rows(assetLink.logicalName)).filter((row) => row[AL.rightsStatus.logicalName] !== STATUS.unknown.value || row[AL.lastSyncedOn.logicalName] !== "2020-01-01T00:00:00Z");
    const before = synced().length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(MEDIA * RECORDS.length);
    const store = await openStore(parseStateUrl(stateUrl));
    const cursor = await store.cursors.get(RIGHTS_CURSOR);
    await store.close();
    expect(cursor).not.toBeNull();

    admin.requests.clear();
    const second = startProxy(stateUrl);
    await second.url;
    // The run asked for is still owed: the new instance takes it over once the dead one's lease runs out.
    await until(() => synced().length === MEDIA * RECORDS.length, "every link is synced", 120_000);
    const reopened = await openStore(parseStateUrl(stateUrl));
    try {
      await until(async () => (await reopened.jobs.get("rights-sync"))?.lastOutcome === "ok", "the rights sync finished");
    } finally {
      await reopened.close();
    }
    // It resumed at the stored cursor, not from the start of time.
    const [firstListing] = admin.requests.list({ path: "/psapi/v4.0/search" });
    expect(new URLSearchParams(firstListing.query).get("modify_start")).toBe(`${cursor!.slice(0, 19).replace("T", " ")} GMT`);
    const links = seededLinks(dataverse.store.rows(assetLink.logicalName));
    expect(links).toHaveLength(MEDIA * RECORDS.length);
    for (const row of links) expect(row[AL.rightsStatus.logicalName]).toBe(expected(library().mediaById(String(row[AL.mediaId.logicalName]))!)[AL.rightsStatus.logicalName]);
    second.child.kill("SIGTERM");
    await new Promise((resolve) => second.child.once("exit", resolve));
    await mock.close();
  });
});
