/**
 * The automation's cost at scale, against the mocks: the proxy runs as its own process (with the
 * deployment heap cap, so its memory can be read), the mock-server in this one.
 *
 *   rights sync  10,000 asset links (2,000 assets × 5 records) in sync, then 10 % of the assets
 *                changed in PhotoShelter and the rights-sync job run: Dataverse requests against the
 *                changed rows (budget ≤ changed/100 + pages read), PhotoShelter requests, wall time
 *                and the proxy's peak resident memory.
 *   auto-link    1,000 accounts get a segment in one go: 1,000 webhooks, each linking the account's
 *                best matches (AUTO_LINK_MAX): time until every event is handled, links written,
 *                requests, peak memory.
 */
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import pino from "pino";
import { adminOf } from "../mock-server/admin";
import { dataverseOf, defaultWebhook } from "../mock-server/dataverse";
import { USERS } from "../mock-server/dataverse/demoData/users";
import { photoShelterOf } from "../mock-server/photoshelter";
import { setCustomMetadata } from "../mock-server/photoshelter/writes";
import { startMockServer } from "../mock-server/server";
import { ClientCredentialsTokens, createDataverseClient, type DataverseClient } from "../proxy/src/dataverse";
import { openStore, parseStateUrl, type StateStore } from "../proxy/src/state";
import { UpstreamHttp } from "../proxy/src/upstream/http";
import { assetLink, choices, outOfBox, regardingKey } from "../solution/model";
import { cpuMs, freePort, rssMb } from "./proxy";

const ROOT = path.resolve(__dirname, "..");
const ASSETS = 2000;
const RECORDS = 5;
const CHANGED = 0.1;
const ACCOUNTS = 1000;
const KEY = "bench-webhook-key-0123456789abcdef";
const NEVER = "0 0 1 1 *";
const PROXY_NODE_FLAGS = ["--max-old-space-size=128"];
const AL = assetLink.columns;
const A = outOfBox.account.columns;

/** Samples a process's resident memory until stopped; returns the peak. */
function sampler(pid: number): { stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMb(pid));
    },
  };
}

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 1 });

export async function syncBench(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "psh-bench-sync-"));
  const stateUrl = `sqlite:${path.join(tmp, "proxy.db")}`;
  const mock = await startMockServer({ port: 0, media: ASSETS });
  const admin = adminOf(mock.context);
  const library = photoShelterOf(mock.context).library;
  const dataverseStore = dataverseOf(mock.context).store;
  const http = new UpstreamHttp("Dataverse", { timeoutMs: 60_000, connections: 8, maxRetries: 2, retryBudgetMs: 30_000, breakerFailures: 100, breakerResetMs: 1000 }, pino({ level: "silent" }));
  const dataverse: DataverseClient = createDataverseClient({
    url: mock.url,
    http,
    tokens: new ClientCredentialsTokens({ tokenUrl: `${mock.url}/issuer/token`, clientId: mock.context.settings.clientId, clientSecret: mock.context.settings.clientSecret, scope: `${mock.url}/.default` }, http),
  });
  const port = await freePort();
  let proxy: ChildProcess | null = null;
  let store: StateStore | null = null;
  try {
    // 10,000 links: every asset linked from 5 records, as last synced long ago.
    const records = Array.from({ length: RECORDS }, (_, n) => regardingKey("account", `be000000-0000-4000-8000-${String(n + 1).padStart(12, "0")}`));
    await dataverse.upsertMany(
      assetLink,
      library.media.flatMap((m) =>
        records.map((record) => ({
          key: { [AL.mediaId.logicalName]: m.id, [AL.regardingKey.logicalName]: record },
          data: { [AL.name.logicalName]: m.fileName, [AL.linkType.logicalName]: choices.linkType.options.brand.value, [AL.rightsStatus.logicalName]: choices.rightsStatus.options.unknown.value, [AL.source.logicalName]: choices.linkSource.options.manual.value, [AL.lastSyncedOn.logicalName]: "2020-01-01T00:00:00Z" },
        })),
      ),
      1000,
    );

    proxy = spawn(process.execPath, [...PROXY_NODE_FLAGS, "--import", "tsx", path.join(ROOT, "scripts", "proxy.ts")], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "",
        MOCK_PORT: String(mock.port),
        PROXY_PORT: String(port),
        STATE_URL: stateUrl,
        WEBHOOK_KEY: KEY,
        LOG_LEVEL: "warn",
        JOBS_POLL_MS: "50",
        RIGHTS_SYNC_SCHEDULE: NEVER,
        RIGHTS_CALENDAR_SCHEDULE: NEVER,
        EVENT_SWEEP_SCHEDULE: NEVER,
        PARTNER_RECONCILE_SCHEDULE: NEVER,
        USAGE_ROLLUP_SCHEDULE: NEVER,
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    createInterface({ input: proxy.stdout! }).on("line", () => undefined);
    const proxyUrl = `http://127.0.0.1:${port}`;
    await until(() => fetch(`${proxyUrl}/healthz`).then((r) => r.ok, () => false), "the proxy is up", 60_000);
    const pid = proxy.pid!;
    store = await openStore(parseStateUrl(stateUrl));
    const token = ((await (await fetch(`${mock.url}/issuer/dev/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: USERS.admin.upn }) })).json()) as { access_token: string }).access_token;

    const runJob = async (name: string): Promise<Record<string, number>> => {
      const runs = (await store!.jobs.get(name))?.runs ?? 0;
      const response = await fetch(`${proxyUrl}/v1/admin/jobs/${name}/run`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 202) throw new Error(`${name}: HTTP ${response.status}`);
      let result: Record<string, number> = {};
      await until(async () => {
        const job = await store!.jobs.get(name);
        if (!job || job.runs <= runs) return false;
        if (job.lastOutcome !== "ok") throw new Error(`${name} failed: ${job.lastError}`);
        result = job.lastResult as Record<string, number>;
        return true;
      }, `${name} ran`);
      return result;
    };
    const requests = (prefix: string) => admin.requests.count({ path: prefix });

    // ---- rights sync ---------------------------------------------------------------------------
    const initial = await runJob("rights-sync");
    const changed = library.media.filter((_, i) => i % Math.round(1 / CHANGED) === 0);
    changed.forEach((m, i) => setCustomMetadata(m, { custom_metadata: { "Asset Version": `${(i % 5) + 2}.0`, ...(i % 3 === 0 ? { "Approval Status": "retired" } : {}) } }));
    admin.requests.clear();
    const before = rssMb(pid);
    const memory = sampler(pid);
    const cpu = cpuMs(pid);
    const started = Date.now();
    const result = await runJob("rights-sync");
    const wall = Date.now() - started;
    const cpuUsed = cpuMs(pid) - cpu;
    const peak = memory.stop();
    const dataverseRequests = requests("/api/data");
    const batches = admin.requests.count({ path: "/api/data/v9.2/$batch" });
    const pagesRead = dataverseRequests - batches;
    const changedRows = result.linksWritten;
    const budget = Math.ceil(changedRows / 100) + pagesRead;
    const rows = dataverseStore.rows(assetLink.logicalName).filter((row) => records.includes(String(row[AL.regardingKey.logicalName])));
    console.log(`Links: ${fmt(rows.length)} (${ASSETS} assets × ${RECORDS} records); first full sync wrote ${fmt(initial.linksWritten)} rows in ${fmt(initial.ms)} ms.\n`);
    console.log("| run | assets changed | rows changed | Dataverse requests | of them $batch | pages read | budget (changed/100 + pages) | PhotoShelter requests | wall ms | proxy CPU ms | proxy RSS before → peak MB |");
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    console.log(`| 10 % changed | ${fmt(changed.length)} | ${fmt(changedRows)} | ${dataverseRequests} | ${batches} | ${pagesRead} | ${budget} | ${requests("/psapi")} | ${fmt(wall)} | ${fmt(cpuUsed)} | ${fmt(before)} → ${fmt(peak)} |`);
    if (dataverseRequests > budget) throw new Error(`rights sync over budget: ${dataverseRequests} Dataverse requests > ${budget}`);
    admin.requests.clear();
    const idle = await runJob("rights-sync");
    console.log(`| nothing changed | 0 | ${fmt(idle.linksWritten)} | ${requests("/api/data")} | ${admin.requests.count({ path: "/api/data/v9.2/$batch" })} | ${requests("/api/data") - admin.requests.count({ path: "/api/data/v9.2/$batch" })} | — | ${requests("/psapi")} | ${fmt(idle.ms)} | — | — |`);

    // ---- S1 auto-link for 1,000 accounts ---------------------------------------------------------
    const industries = Object.keys(outOfBox.industrySegmentOfIndustryCode).map(Number);
    const regions = Object.values(choices.region.options).map((o) => o.value);
    const tiers = Object.values(choices.tier.options).map((o) => o.value);
    const lines = Object.values(choices.productLine.options).map((o) => o.value);
    const accountIds = Array.from({ length: ACCOUNTS }, (_, n) => `ac000000-0000-4000-8000-${String(n + 1).padStart(12, "0")}`);
    await dataverse.upsertMany(outOfBox.account, accountIds.map((id, n) => ({ key: id, data: { [A.name.logicalName]: `Bench Account ${n + 1}` } })), 1000);
    dataverseOf(mock.context).webhooks.register({ ...defaultWebhook(`${proxyUrl}/hooks/dataverse`, KEY), retry: { maxAttempts: 10, initialDelayMs: 200, maxDelayMs: 5000 } });
    const linksBefore = dataverseStore.rows(assetLink.logicalName).length;
    const doneBefore = (await store.inbox.counts()).done;
    admin.requests.clear();
    const memory2 = sampler(pid);
    const before2 = rssMb(pid);
    const cpu2 = cpuMs(pid);
    const started2 = Date.now();
    await dataverse.upsertMany(
      outOfBox.account,
      accountIds.map((id, n) => ({
        key: id,
        data: { [A.industryCode.logicalName]: industries[n % industries.length], [A.region.logicalName]: regions[n % regions.length], [A.tier.logicalName]: tiers[(n >> 2) % tiers.length], [A.productLines.logicalName]: String(lines[n % lines.length]) },
      })),
      1000,
    );
    await until(async () => {
      const counts = await store!.inbox.counts();
      return counts.done - doneBefore >= ACCOUNTS && counts.pending === 0 && counts.running === 0;
    }, "every account change is handled");
    const wall2 = Date.now() - started2;
    const cpuUsed2 = cpuMs(pid) - cpu2;
    const peak2 = memory2.stop();
    const linked = dataverseStore.rows(assetLink.logicalName).length - linksBefore;
    const parked = (await store.inbox.counts()).parked;
    console.log(`\nS1 auto-link, ${fmt(ACCOUNTS)} accounts given a segment in one $batch (AUTO_LINK_MAX 20; ${industries.length} industries × ${regions.length} regions × ${tiers.length} tiers × ${lines.length} product lines):\n`);
    console.log("| accounts | webhooks handled | links written | parked | Dataverse requests (proxy) | PhotoShelter requests | wall ms (until all handled) | accounts/s | proxy CPU ms | proxy RSS before → peak MB |");
    console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    console.log(`| ${fmt(ACCOUNTS)} | ${fmt((await store.inbox.counts()).done - doneBefore)} | ${fmt(linked)} | ${parked} | ${fmt(requests("/api/data") - 1 /* the bench's own $batch */)} | ${fmt(requests("/psapi"))} | ${fmt(wall2)} | ${fmt(ACCOUNTS / (wall2 / 1000))} | ${fmt(cpuUsed2)} | ${fmt(before2)} → ${fmt(peak2)} |`);
  } finally {
    await store?.close();
    if (proxy && proxy.exitCode === null) {
      proxy.kill("SIGTERM");
      await new Promise((resolve) => proxy!.once("exit", resolve));
    }
    await http.close();
    await mock.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
