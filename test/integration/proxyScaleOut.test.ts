/**
 * Two proxy instances on one PostgreSQL (a throwaway cluster from the Debian package), each its own
 * process: 500 webhooks (400 changes, 20 % sent twice) go alternately to both, one instance is
 * killed with SIGKILL halfway (its deliveries then go to the other, as Dataverse retries), and every
 * change is handled exactly once in effect; a scheduled job runs on one instance per tick.
 */
import { ChildProcess, spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { ACCOUNTS } from "../../mock-server/dataverse/demoData";
import { RunningMockServer, startMockServer } from "../../mock-server/server";
import { openStore, parseStateUrl, type StateStore } from "../../proxy/src/state";
import { deliver, remoteContext, until } from "../support/automation";
import { startPostgres, type PostgresCluster } from "../support/postgres";

jest.setTimeout(300_000);

const KEY = "scale-out-webhook-key-0123456789";
const ROOT = path.resolve(__dirname, "..", "..");
const LEASE_MS = 2000;

interface Report {
  instance: string;
  kind: "ready" | "effect" | "tick";
  url?: string;
  key?: string;
  op?: string;
  scheduledFor?: number;
  at: number;
}

let cluster: PostgresCluster;
let mock: RunningMockServer;
let collector: Server;
let collectorUrl: string;
let stateUrl: string;
let store: StateStore;
const reports: Report[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
  stateUrl = await cluster.createDatabase();
  mock = await startMockServer({ port: 0, media: 50 });
  collector = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      reports.push({ ...(JSON.parse(body) as Omit<Report, "at">), at: Date.now() });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await store?.close();
  await new Promise((resolve) => collector?.close(resolve));
  await mock?.close();
  await cluster?.stop();
});

function startInstance(name: string): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test", "support", "proxyInstance.ts")], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "",
      MOCK_URL: mock.url,
      COLLECTOR_URL: collectorUrl,
      INSTANCE_NAME: name,
      STATE_URL: stateUrl,
      WEBHOOK_KEY: KEY,
      PROXY_PORT: "0",
      LOG_LEVEL: "error",
      JOBS_POLL_MS: "50",
      JOBS_LEASE_MS: String(LEASE_MS),
      JOBS_CONCURRENCY: "4",
      PROBE_SCHEDULE: "every 500ms",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push(child);
  const ready = new Promise<string>((resolve, reject) => {
    child.once("exit", (code, signal) => reject(new Error(`instance ${name} exited (${code ?? signal}) before it was ready`)));
    void until(() => reports.some((r) => r.kind === "ready" && r.instance === name), `instance ${name} is ready`, 120_000).then(
      () => resolve(reports.find((r) => r.kind === "ready" && r.instance === name)!.url!),
      reject,
    );
  });
  return { child, ready };
}

it("handles every change exactly once in effect across two instances while one is killed, and runs each tick of a job on one instance", async () => {
  const a = startInstance("a");
  const b = startInstance("b");
  const urls = { a: await a.ready, b: await b.ready };
  store = await openStore(parseStateUrl(stateUrl));

  // 400 changes to 40 accounts, 100 of them delivered a second time: 500 deliveries.
  const accounts = Array.from({ length: 40 }, (_, i) => `ac000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
  accounts[0] = ACCOUNTS.litware;
  const changes = Array.from({ length: 400 }, (_, n) =>
    remoteContext({ message: "Update", table: "account", id: accounts[n % accounts.length], operationId: `op-${n}`, at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), target: { op: `op-${n}` } }),
  );
  const deliveries = [...changes, ...changes.filter((_, n) => n % 4 === 0).map((c) => ({ ...c, RequestId: "redelivery" }))];
  // Shuffled (deterministically): Dataverse delivers asynchronously, in no promised order.
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
  }
  let aKilled = false;
  let duplicates = 0;
  const killedAt = { time: 0 };
  for (const [i, body] of deliveries.entries()) {
    if (i === 250) {
      a.child.kill("SIGKILL");
      await new Promise((resolve) => a.child.once("exit", resolve));
      aKilled = true;
      killedAt.time = Date.now();
    }
    const target = i % 2 === 0 && !aKilled ? urls.a : urls.b;
    let response = await deliver(target, KEY, body).catch(() => null);
    // A delivery the dead instance did not answer is sent again, to the other one, as Dataverse retries.
    if (!response) response = await deliver(urls.b, KEY, body);
    expect(response.status).toBe(202);
    if (((await response.json()) as { duplicate: boolean }).duplicate) duplicates++;
  }
  expect(duplicates).toBe(100);

  await until(async () => (await store.inbox.counts()).done === 400, "all 400 changes are handled", 180_000);
  expect(await store.inbox.counts()).toEqual({ pending: 0, running: 0, done: 400, parked: 0 });
  const effects = reports.filter((r) => r.kind === "effect");
  const distinct = new Set(effects.map((r) => r.op));
  expect([...distinct].sort()).toEqual(changes.map((c) => (c.InputParameters as Array<{ value: { Attributes: Array<{ value: string }> } }>)[0].value.Attributes[0].value).sort());
  // At least once: only what the killed instance was working on may have been done twice.
  const twice = effects.length - distinct.size;
  expect(twice).toBeLessThanOrEqual(4);
  for (const op of distinct) {
    const by = effects.filter((r) => r.op === op);
    if (by.length > 1) expect(by[0].instance).toBe("a");
  }
  expect(effects.some((r) => r.instance === "a")).toBe(true);
  expect(effects.some((r) => r.instance === "b")).toBe(true);

  // Ticks: one instance per tick; a tick shows up twice only when the killed instance had it and its lease ran out.
  await until(() => reports.filter((r) => r.kind === "tick" && r.instance === "b" && r.at > killedAt.time + LEASE_MS).length >= 3, "instance b runs ticks on its own");
  const ticks = new Map<number, Report[]>();
  for (const r of reports.filter((t) => t.kind === "tick")) ticks.set(r.scheduledFor!, [...(ticks.get(r.scheduledFor!) ?? []), r]);
  for (const runs of ticks.values()) {
    if (runs.length === 1) continue;
    expect(runs).toHaveLength(2);
    expect(runs[0].instance).toBe("a");
    expect(runs[1].instance).toBe("b");
    expect(runs[1].at).toBeGreaterThan(killedAt.time);
  }
});
