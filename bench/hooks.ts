/**
 * npm run bench -- hooks: the automation backbone on SQLite and PostgreSQL, side by side in one run.
 *
 * 1. Webhook intake: p50/p99 of the 202 for RemoteExecutionContext deliveries one at a time and 16
 *    in flight, to a proxy serving the API only (PROXY_ROLE=api; client, proxy and mock share this
 *    process), and the drain rate of a runner with a no-op handler (events handled per second).
 * 2. The S8 roll-up over 100,000 usage events: Dataverse requests against rows written (budget:
 *    rows / 100 + 2), PhotoShelter requests, wall time.
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pino from "pino";
import { request } from "undici";
import { adminOf } from "../mock-server/admin";
import { ACCOUNTS } from "../mock-server/dataverse/demoData";
import { USERS } from "../mock-server/dataverse/demoData/users";
import { withMockDefaults } from "../mock-server/proxyEnv";
import { startMockServer } from "../mock-server/server";
import { photoShelterViews, rollUpUsage } from "../proxy/src/automation/usageRollup";
import { loadConfig } from "../proxy/src/config";
import { JobRegistry } from "../proxy/src/jobs/registry";
import { JobRunner } from "../proxy/src/jobs/runner";
import { startProxy } from "../proxy/src/server";
import { openStore, parseStateUrl } from "../proxy/src/state";
import { remoteContext } from "../test/support/automation";
import { startPostgres } from "../test/support/postgres";

const WEBHOOKS = 2000;
const SERIAL = 500;
const IN_FLIGHT = 16;
const USAGE_EVENTS = 100_000;
const KEY = "bench-webhook-key-0123456789abcdef";
const TMP = path.resolve(__dirname, ".tmp", "hooks");

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

interface EngineResult {
  engine: string;
  serialP50: number;
  serialP99: number;
  p50: number;
  p99: number;
  intakePerSecond: number;
  drainPerSecond: number;
}

async function engineRun(engine: string, stateUrl: string, mockUrl: string): Promise<EngineResult> {
  const proxy = await startProxy(loadConfig(withMockDefaults({ STATE_URL: stateUrl, PROXY_PORT: "0", PROXY_ROLE: "api", WEBHOOK_KEY: KEY, LOG_LEVEL: "warn" }, mockUrl)));
  const bodies = Array.from({ length: WEBHOOKS }, (_, n) =>
    JSON.stringify(remoteContext({ message: "Update", table: "account", id: `ac000000-0000-4000-8000-${String(n % 200).padStart(12, "0")}`, operationId: `bench-${engine}-${n}`, target: { name: `n${n}` } })),
  );
  // One at a time (the first 50 warm up connections, JIT and statements, and are not counted).
  const serial: number[] = [];
  for (let n = 0; n < SERIAL + 50; n++) {
    const t0 = performance.now();
    const one = await request(`${proxy.url}/hooks/dataverse`, { method: "POST", headers: { "content-type": "application/json", "x-psh-webhook-key": KEY }, body: JSON.stringify(remoteContext({ message: "Update", table: "contact", id: `c0000000-0000-4000-8000-${String(n % 200).padStart(12, "0")}`, operationId: `serial-${engine}-${n}` })) });
    await one.body.dump();
    if (n >= 50) serial.push(performance.now() - t0);
  }
  serial.sort((a, b) => a - b);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const t0 = performance.now();
        const response = await request(`${proxy.url}/hooks/dataverse`, { method: "POST", headers: { "content-type": "application/json", "x-psh-webhook-key": KEY }, body });
        await response.body.dump();
        latencies.push(performance.now() - t0);
        if (response.statusCode !== 202) throw new Error(`webhook answered ${response.statusCode}`);
      }
    }),
  );
  const intakeSeconds = (performance.now() - started) / 1000;
  await proxy.close();

  // Drain: a worker with a no-op handler on the same store.
  const store = await openStore(parseStateUrl(stateUrl));
  const registry = new JobRegistry().addHandlers({ name: "noop", table: "account", messages: ["Update"], handle: async () => ({}) }, { name: "noop-contact", table: "contact", messages: ["Update"], handle: async () => ({}) });
  const runner = new JobRunner(store, registry, pino({ level: "silent" }), { concurrency: 8, pollMs: 20, leaseMs: 30_000, maxAttempts: 5, backoff: { baseMs: 1000, capMs: 60_000 } });
  const drainStart = performance.now();
  await runner.start();
  const total = WEBHOOKS + SERIAL + 50;
  while ((await store.inbox.counts()).done < total) await new Promise((resolve) => setTimeout(resolve, 20));
  const drainSeconds = (performance.now() - drainStart) / 1000;
  await runner.stop(1000);
  await store.close();
  latencies.sort((a, b) => a - b);
  return {
    engine,
    serialP50: percentile(serial, 50),
    serialP99: percentile(serial, 99),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    intakePerSecond: WEBHOOKS / intakeSeconds,
    drainPerSecond: total / drainSeconds,
  };
}

async function rollupRun(mockUrl: string, mock: Awaited<ReturnType<typeof startMockServer>>): Promise<string> {
  const stateUrl = `sqlite:${path.join(TMP, "rollup.db")}`;
  const store = await openStore(parseStateUrl(stateUrl));
  // 100,000 downloads: 2,000 assets × 5 days × 2 accounts = 20,000 (asset, day, record) rows, 5 events each.
  const accounts = [ACCOUNTS.litware, ACCOUNTS.northwind].map((id) => `account:${id}`);
  const days = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"];
  const events = Array.from({ length: USAGE_EVENTS }, (_, n) => {
    const group = n % 20_000;
    return { at: `${days[group % 5]}T12:00:00.000Z`, kind: "download", assetId: `I${String(Math.floor(group / 10) + 1).padStart(15, "0")}`, userId: USERS.salesNorthAmerica.id, record: accounts[Math.floor(group / 5) % 2], size: "original" };
  });
  await store.usage.record(events);
  const proxy = await startProxy(loadConfig(withMockDefaults({ STATE_URL: "sqlite::memory:", PROXY_PORT: "0", PROXY_ROLE: "api", LOG_LEVEL: "warn" }, mockUrl)));
  const admin = adminOf(mock.context);
  admin.requests.clear();
  const started = performance.now();
  const outcome = await rollUpUsage({ state: store, dataverse: proxy.services.dataverse, readViews: photoShelterViews(proxy.services.library.client), log: pino({ level: "silent" }) }, new AbortController().signal);
  const seconds = (performance.now() - started) / 1000;
  const dataverseRequests = admin.requests.count({ path: "/api/data/v9.2/" });
  const tokenRequests = admin.requests.count({ path: "/issuer/token" });
  const photoShelterRequests = admin.requests.count({ path: "/psapi/" });
  const rows = Number(outcome.rows);
  await proxy.close();
  await store.close();
  return [
    "| usage events | rows written | change sets | Dataverse requests | budget (rows/100 + 2) | token requests | PhotoShelter requests (views of linked assets) | wall time |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
    `| ${USAGE_EVENTS.toLocaleString("en")} | ${rows.toLocaleString("en")} | ${outcome.changeSets} | ${dataverseRequests} | ${Math.floor(rows / 100) + 2} | ${tokenRequests} | ${photoShelterRequests} | ${seconds.toFixed(1)} s |`,
  ].join("\n");
}

export async function hooksBench(): Promise<void> {
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(TMP, { recursive: true });
  const mock = await startMockServer({ port: 0, media: 200 });
  const cluster = await startPostgres();
  try {
    const results = [await engineRun("SQLite (file, WAL)", `sqlite:${path.join(TMP, "hooks.db")}`, mock.url), await engineRun("PostgreSQL 15 (local)", await cluster.createDatabase(), mock.url)];
    console.log(`Webhook intake (${SERIAL} deliveries one at a time, then ${WEBHOOKS} with ${IN_FLIGHT} in flight; PROXY_ROLE=api) and drain (no-op handler, 8 at a time):\n`);
    console.log("| engine | 202 p50, 1 in flight (ms) | 202 p99, 1 in flight (ms) | 202 p50, 16 in flight (ms) | 202 p99, 16 in flight (ms) | intake (deliveries/s) | drain (events/s) |");
    console.log("|---|---:|---:|---:|---:|---:|---:|");
    for (const r of results) console.log(`| ${r.engine} | ${r.serialP50.toFixed(1)} | ${r.serialP99.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${Math.round(r.intakePerSecond)} | ${Math.round(r.drainPerSecond)} |`);
    console.log("\nUsage roll-up (SQLite store, mock Dataverse):\n");
    console.log(await rollupRun(mock.url, mock));
  } finally {
    await cluster.stop();
    await mock.close();
    rmSync(TMP, { recursive: true, force: true });
  }
}
