/**
 * The proxy's cost, measured side by side in one run: the same request mix sent straight to the mock
 * PhotoShelter and through the proxy, with the mock adding a fixed upstream latency. The mock and two
 * proxies (cache off, cache on) run as their own processes so their memory can be read.
 *   uncached   distinct searches, cache off: proxy overhead on every call (budget p50 ≤ 1.10 × direct)
 *   cached     the same searches again, cache on (budget: a hit ≥ 10× faster than direct)
 *   coalesced  one search from many connections at once, cache off: upstream calls per proxy request
 * Proxy RSS is sampled during the runs (budget ≤ 200 MB) and read after repeated runs (should stay flat).
 */
import autocannon, { Result } from "autocannon";
import { ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { mockSettingsFromEnv } from "../mock-server/config";
import { ORGANIZATION } from "../mock-server/photoshelter/wellKnown";

const ROOT = path.resolve(__dirname, "..");
const UPSTREAM_LATENCY_MS = 80;
const DURATION_S = 4;
/** Turns of direct / cache off / cache hit; each figure is the median over them. */
const ROUNDS = 3;
const CONNECTIONS = 4;
const COALESCED_CONNECTIONS = 50;
const REPEATS = 4;
const LIBRARY_MEDIA = 1000;
/** The heap cap a deployment gives the proxy (see proxy/README.md); without one V8 collects lazily and RSS floats up. */
const PROXY_NODE_FLAGS = ["--max-old-space-size=128"];
const TERMS = ["photo", "logo", "studio", "store", "hospital", "factory", "grid", "booth", "partner", "product"];
const PAGES = [1, 2, 3, 4];
/** Litware Health (healthcare, North America, strategic) and a North America sales rep from the demo org. */
const RECORD = "account:a0000000-0000-4000-8000-000000000004";
const USER = "riley.rep@contoso.example";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

function start(script: string, args: string[], env: Record<string, string>, nodeFlags: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
  child.on("exit", (code) => {
    if (code !== null && code !== 0) console.error(`${script} exited with ${code}`);
  });
  return child;
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

/** Resident memory of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** CPU time a process has used, in ms (Linux /proc, clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Runs autocannon over a list of paths, each connection taking the next path in turn. */
function load(base: string, paths: string[], headers: Record<string, string>, connections = CONNECTIONS, duration = DURATION_S): Promise<Result> {
  let next = 0;
  return autocannon({
    url: base,
    connections,
    duration,
    headers,
    requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }) }],
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The median run's figures (p50, p99, req/s each the median over the runs; totals summed). */
function medianOf(results: Result[]): Result {
  return {
    latency: { average: median(results.map((r) => r.latency.average)), p50: median(results.map((r) => r.latency.p50)), p99: median(results.map((r) => r.latency.p99)), max: Math.max(...results.map((r) => r.latency.max)) },
    requests: { average: median(results.map((r) => r.requests.average)), p50: 0, p99: 0, max: 0, total: results.reduce((sum, r) => sum + r.requests.total, 0) },
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    timeouts: results.reduce((sum, r) => sum + r.timeouts, 0),
  };
}

const ms = (value: number) => value.toFixed(1);
const row = (name: string, r: Result) => `| ${name} | ${ms(r.latency.p50)} | ${ms(r.latency.p99)} | ${Math.round(r.requests.average)} | ${r.requests.total} | ${r.non2xx + r.errors + r.timeouts} |`;

export async function proxyBench(): Promise<void> {
  const settings = mockSettingsFromEnv();
  const [mockPort, uncachedPort, cachedPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const mockUrl = `http://127.0.0.1:${mockPort}`;
  const proxyEnv = (port: number, cacheEntries: string) => ({
    MOCK_PORT: String(mockPort),
    STATE_URL: "sqlite::memory:",
    PROXY_PORT: String(port),
    CACHE_MAX_ENTRIES: cacheEntries,
    LOG_LEVEL: "warn",
    RATE_LIMIT_PER_MINUTE: "1000000",
  });
  const children: ChildProcess[] = [];
  try {
    children.push(start("mock-server/main.ts", ["--port", String(mockPort), "--media", String(LIBRARY_MEDIA)], {}));
    await waitFor(`${mockUrl}/__admin/faults`);
    const uncached = start("scripts/proxy.ts", [], proxyEnv(uncachedPort, "0"), PROXY_NODE_FLAGS);
    const cached = start("scripts/proxy.ts", [], proxyEnv(cachedPort, "5000"), PROXY_NODE_FLAGS);
    children.push(uncached, cached);
    const uncachedUrl = `http://127.0.0.1:${uncachedPort}`;
    const cachedUrl = `http://127.0.0.1:${cachedPort}`;
    await Promise.all([waitFor(`${uncachedUrl}/healthz`), waitFor(`${cachedUrl}/healthz`)]);

    await json(`${mockUrl}/__admin/rate-limit`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ limit: 0 }) });
    await json(`${mockUrl}/__admin/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "latency", latencyMs: UPSTREAM_LATENCY_MS, path: "/psapi/v4.0/search" }) });

    const { access_token: token } = await json<{ access_token: string }>(`${mockUrl}/issuer/dev/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: USER }) });
    const bearer = { authorization: `Bearer ${token}` };
    const form = { "content-type": "application/x-www-form-urlencoded", "x-ps-api-key": settings.psApiKey };
    const { token: session } = await json<{ token: string }>(`${mockUrl}/psapi/v4.0/authenticate`, { method: "POST", headers: form, body: new URLSearchParams({ email: settings.psEmail, password: settings.psPassword, mode: "token" }) });
    await json(`${mockUrl}/psapi/v4.0/organization/authenticate`, { method: "POST", headers: { ...form, "x-ps-auth-token": session }, body: new URLSearchParams({ org_id: ORGANIZATION.id }) });
    const direct = { "x-ps-api-key": settings.psApiKey, "x-ps-auth-token": session };

    // The mix: one proxy search per (term, page); the direct twin is exactly the upstream call the proxy made for it.
    const proxyPaths = TERMS.flatMap((term) => PAGES.map((page) => `/v1/search?record=${RECORD}&q=${term}&perPage=20&page=${page}&includeRestricted=true`));
    const directPaths: string[] = [];
    for (const proxyPath of proxyPaths) {
      await fetch(`${mockUrl}/__admin/requests`, { method: "DELETE" });
      const response = await fetch(`${uncachedUrl}${proxyPath}`, { headers: bearer });
      if (response.status !== 200) throw new Error(`warm-up ${proxyPath}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
      const log = await json<{ items: Array<{ path: string; query: string }> }>(`${mockUrl}/__admin/requests?path=/psapi/v4.0/search`);
      directPaths.push(`${log.items[0].path}?${log.items[0].query}`);
    }
    for (const proxyPath of proxyPaths) await (await fetch(`${cachedUrl}${proxyPath}`, { headers: bearer })).arrayBuffer();

    let peak = { uncached: 0, cached: 0 };
    const sampler = setInterval(() => {
      peak = { uncached: Math.max(peak.uncached, rssMb(uncached.pid!)), cached: Math.max(peak.cached, rssMb(cached.pid!)) };
    }, 200);

    // Direct, cache off and cache hit take turns, so drift in the machine's load hits all three alike.
    const rounds: Array<{ direct: Result; uncached: Result; cached: Result }> = [];
    const cpu = { uncached: 0, cached: 0 };
    for (let i = 0; i < ROUNDS; i++) {
      const directResult = await load(mockUrl, directPaths, direct);
      let before = cpuMs(uncached.pid!);
      const uncachedResult = await load(uncachedUrl, proxyPaths, bearer);
      cpu.uncached += cpuMs(uncached.pid!) - before;
      before = cpuMs(cached.pid!);
      const cachedResult = await load(cachedUrl, proxyPaths, bearer);
      cpu.cached += cpuMs(cached.pid!) - before;
      rounds.push({ direct: directResult, uncached: uncachedResult, cached: cachedResult });
    }
    const directRun = medianOf(rounds.map((r) => r.direct));
    const uncachedRun = medianOf(rounds.map((r) => r.uncached));
    const cachedRun = medianOf(rounds.map((r) => r.cached));

    const single = proxyPaths[0];
    const directSingle = await load(mockUrl, [directPaths[0]], direct, COALESCED_CONNECTIONS);
    await fetch(`${mockUrl}/__admin/requests`, { method: "DELETE" });
    const coalescedRun = await load(uncachedUrl, [single], bearer, COALESCED_CONNECTIONS);
    const upstreamCalls = (await json<{ total: number }>(`${mockUrl}/__admin/requests?path=/psapi/v4.0/search`)).total;

    const afterRuns: Array<{ uncached: number; cached: number }> = [];
    for (let i = 0; i < REPEATS; i++) {
      await load(uncachedUrl, proxyPaths, bearer, CONNECTIONS, 3);
      await load(cachedUrl, proxyPaths, bearer, CONNECTIONS, 3);
      afterRuns.push({ uncached: rssMb(uncached.pid!), cached: rssMb(cached.pid!) });
    }
    clearInterval(sampler);

    console.log(`Upstream latency ${UPSTREAM_LATENCY_MS} ms on /search; ${CONNECTIONS} connections; ${ROUNDS} alternating rounds of ${DURATION_S} s (medians); mix of ${proxyPaths.length} searches (20 per page, ${LIBRARY_MEDIA}-media library); proxies run with ${PROXY_NODE_FLAGS.join(" ")}.\n`);
    console.log("| case | p50 ms | p99 ms | req/s | requests | errors |");
    console.log("|---|---:|---:|---:|---:|---:|");
    console.log(row("direct to mock (uncached mix)", directRun));
    console.log(row("through proxy, cache off", uncachedRun));
    console.log(row("through proxy, cache hit", cachedRun));
    console.log(row(`direct, one search × ${COALESCED_CONNECTIONS} connections`, directSingle));
    console.log(row(`through proxy, one search × ${COALESCED_CONNECTIONS} connections, cache off (coalesced)`, coalescedRun));
    console.log("");
    const uncachedRatio = uncachedRun.latency.p50 / directRun.latency.p50;
    const hitSpeedup = directRun.latency.p50 / Math.max(cachedRun.latency.p50, 0.01);
    console.log(`uncached p50 proxy/direct: ${uncachedRatio.toFixed(3)} (budget ≤ 1.10) ${uncachedRatio <= 1.1 ? "OK" : "OVER"}`);
    console.log(`cache hit speed-up over direct (p50): ${hitSpeedup.toFixed(1)}× (budget ≥ 10×) ${hitSpeedup >= 10 ? "OK" : "UNDER"}`);
    console.log(`proxy CPU per request: cache off ${(cpu.uncached / uncachedRun.requests.total).toFixed(2)} ms, cache hit ${(cpu.cached / cachedRun.requests.total).toFixed(2)} ms (the proxy's own cost, whatever the machine's load)`);
    console.log(`coalesced: ${coalescedRun.requests.total} proxy requests → ${upstreamCalls} upstream searches (${((upstreamCalls / Math.max(1, coalescedRun.requests.total)) * 100).toFixed(1)} per 100)`);
    console.log(`proxy RSS peak: cache off ${peak.uncached.toFixed(0)} MB, cache on ${peak.cached.toFixed(0)} MB (budget ≤ 200 MB) ${Math.max(peak.uncached, peak.cached) <= 200 ? "OK" : "OVER"}`);
    console.log(`proxy RSS after each of ${REPEATS} repeated runs (cache off / cache on): ${afterRuns.map((r) => `${r.uncached.toFixed(0)}/${r.cached.toFixed(0)}`).join(", ")} MB`);
  } finally {
    for (const child of children) child.kill("SIGTERM");
  }
}
