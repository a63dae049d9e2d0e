/**
 * The proxy's cost, measured side by side in one run: the same request mix sent straight to the mock
 * PhotoShelter and through the proxy, with the mock adding a fixed upstream latency. The mock, two
 * proxies (cache off, cache on) and a pass-through reference run as their own processes, so their
 * memory and CPU can be read.
 *   cache off      the mix with CACHE_MAX_ENTRIES=0: every call goes to PhotoShelter
 *   new searches   cache on, each search asked once (the mix's terms in new letter cases, which the
 *                  mock's search, like PhotoShelter's, ignores): an uncached search over assets the
 *                  proxy has seen — the production case (budget: p50 ≤ 1.05 × direct)
 *   cache hit      the mix again, cache on (budget: a hit ≥ 10× faster than direct)
 *   pass-through   a process that relays the same exchange and nothing else (bench/passThrough.ts):
 *                  what any Node process pays on this machine for this traffic
 *   coalesced      one search from many connections at once, cache off: upstream calls per proxy request
 * Proxy CPU per request comes from /proc over each case's runs; proxy RSS is sampled during the runs
 * (budget ≤ 200 MB) and read after repeated runs (should stay flat). Every process is warmed up first.
 * The proxies run as deployed (`npm run build:proxy`, plain node, PROXY_ROLE=api), the reference
 * bundled the same way. PROXY_BENCH_CONNECTIONS (default 4) sets the load's connections;
 * PROXY_BENCH_NODE_FLAGS adds node flags to the proxies and the reference (e.g. `--cpu-prof`).
 */
import autocannon, { Result } from "autocannon";
import { build } from "esbuild";
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { mockSettingsFromEnv } from "../mock-server/config";
import { withMockDefaults } from "../mock-server/proxyEnv";
import { ORGANIZATION } from "../mock-server/photoshelter/wellKnown";

const ROOT = path.resolve(__dirname, "..");
const UPSTREAM_LATENCY_MS = 80;
const DURATION_S = 4;
/** Turns of direct / cache off / new searches / cache hit / pass-through; each figure is the median over them. */
const ROUNDS = 3;
const WARM_UP_S = 3;
const CONNECTIONS = Number(process.env.PROXY_BENCH_CONNECTIONS ?? 4);
const COALESCED_CONNECTIONS = 50;
const REPEATS = 4;
const LIBRARY_MEDIA = 1000;
/** The heap cap a deployment gives the proxy (see proxy/README.md); without one V8 collects lazily and RSS floats up. */
const PROXY_NODE_FLAGS = ["--max-old-space-size=128", ...(process.env.PROXY_BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean)];
const TERMS = ["photo", "logo", "studio", "store", "hospital", "factory", "grid", "booth", "partner", "product"];
const PAGES = [1, 2, 3, 4];
/** Litware Health (healthcare, North America, strategic) and a North America sales rep from the demo org. */
const RECORD = "account:a0000000-0000-4000-8000-000000000004";
const USER = "riley.rep@contoso.example";
/** Budgets (issue 16). */
const RATIO_BUDGET = 1.05;
const UNCACHED_CPU_BUDGET_MS = 1.5;
const HIT_CPU_BUDGET_MS = 0.3;

export interface ProxyBenchOptions {
  /** Media in the mock's library (default 1,000). */
  media?: number;
  rounds?: number;
}

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

/** Starts a TypeScript file of the repository through tsx, or (`built`) a JavaScript file as it is. */
function start(script: string, args: string[], env: Record<string, string>, nodeFlags: string[] = [], built = false): ChildProcess {
  const child = spawn(process.execPath, [...nodeFlags, ...(built ? [] : ["--import", "tsx"]), script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
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

/** Paths for autocannon: each request takes the next one; `take` shares one sequence across runs. */
type PathSource = { next(): string };
const cycle = (paths: string[]): PathSource => {
  let i = 0;
  return { next: () => paths[i++ % paths.length] };
};

/** Runs autocannon over a sequence of paths, each connection taking the next path in turn. */
function load(base: string, paths: PathSource, headers: Record<string, string>, connections = CONNECTIONS, duration = DURATION_S): Promise<Result> {
  return autocannon({
    url: base,
    connections,
    duration,
    headers,
    requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: paths.next() }) }],
  });
}

/** A load's figures and the CPU the process under load used meanwhile. */
async function measured(pid: number, run: () => Promise<Result>): Promise<{ result: Result; cpu: number }> {
  const before = cpuMs(pid);
  const result = await run();
  return { result, cpu: cpuMs(pid) - before };
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

/**
 * The mix's searches in letter cases not asked before, in a fixed order, each once: "Photo", "pHoto",
 * … (every term and page in its first new case, then every one in its second, and so on).
 */
function newCases(mix: Array<{ term: string; page: number }>): Array<{ term: string; page: number; variant: string }> {
  const out: Array<{ term: string; page: number; variant: string }> = [];
  const longest = Math.max(...mix.map(({ term }) => term.length));
  for (let mask = 1; mask < 2 ** longest; mask++) {
    for (const { term, page } of mix) {
      if (mask >= 2 ** term.length) continue;
      out.push({ term, page, variant: [...term].map((c, i) => (mask & (1 << i) ? c.toUpperCase() : c)).join("") });
    }
  }
  return out;
}

/** autocannon counts latency in whole milliseconds: 0 is under one. */
const ms = (value: number) => (value === 0 ? "< 1" : value.toFixed(1));

export async function proxyBench(options: ProxyBenchOptions = {}): Promise<void> {
  const media = options.media ?? LIBRARY_MEDIA;
  const rounds = options.rounds ?? ROUNDS;
  const settings = mockSettingsFromEnv();
  const strict = process.env.MOCK_PS_STRICT_INCLUDES === "1";
  const [mockPort, uncachedPort, cachedPort, passPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const mockUrl = `http://127.0.0.1:${mockPort}`;
  // The proxy as deployed: `npm run build:proxy`'s bundle run by node alone, serving requests only
  // (PROXY_ROLE=api: the job runner's own work is not the cost of a request).
  const proxyEnv = (port: number, cacheEntries: string) =>
    withMockDefaults({ STATE_URL: "sqlite::memory:", PROXY_PORT: String(port), PROXY_ROLE: "api", CACHE_MAX_ENTRIES: cacheEntries, LOG_LEVEL: "warn", RATE_LIMIT_PER_MINUTE: "1000000" }, mockUrl, settings);
  const children: ChildProcess[] = [];
  const scratch = mkdtempSync(path.join(os.tmpdir(), "psh-bench-proxy-"));
  try {
    children.push(start("mock-server/main.ts", ["--port", String(mockPort), "--media", String(media)], {}));
    const proxyBuild = path.join(scratch, "proxy");
    execFileSync(process.execPath, ["--import", "tsx", "scripts/build-proxy.ts", "--out", proxyBuild], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
    // The reference is bundled the same way, so both run as plain JavaScript.
    const passThroughBuild = path.join(scratch, "passThrough.js");
    await build({ entryPoints: [path.join(ROOT, "bench", "passThrough.ts")], outfile: passThroughBuild, bundle: true, platform: "node", target: "node20", format: "cjs", logLevel: "warning" });
    await waitFor(`${mockUrl}/__admin/faults`);
    const uncached = start(path.join(proxyBuild, "server.js"), [], proxyEnv(uncachedPort, "0"), PROXY_NODE_FLAGS, true);
    const cached = start(path.join(proxyBuild, "server.js"), [], proxyEnv(cachedPort, "5000"), PROXY_NODE_FLAGS, true);
    children.push(uncached, cached);
    const uncachedUrl = `http://127.0.0.1:${uncachedPort}`;
    const cachedUrl = `http://127.0.0.1:${cachedPort}`;
    const passUrl = `http://127.0.0.1:${passPort}`;
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
    const mix = TERMS.flatMap((term) => PAGES.map((page) => ({ term, page })));
    const proxyPath = (term: string, page: number) => `/v1/search?record=${RECORD}&q=${term}&perPage=20&page=${page}&includeRestricted=true`;
    const proxyPaths = mix.map(({ term, page }) => proxyPath(term, page));
    const directPaths: string[] = [];
    const relayed: Record<string, { upstream: string; answer: string }> = {};
    for (const path of proxyPaths) {
      await fetch(`${mockUrl}/__admin/requests`, { method: "DELETE" });
      const response = await fetch(`${uncachedUrl}${path}`, { headers: bearer });
      const answer = await response.text();
      if (response.status !== 200) throw new Error(`warm-up ${path}: ${response.status} ${answer}`);
      const log = await json<{ items: Array<{ path: string; query: string }> }>(`${mockUrl}/__admin/requests?path=/psapi/v4.0/search`);
      directPaths.push(`${log.items[0].path}?${log.items[0].query}`);
      relayed[path] = { upstream: `${mockUrl}${directPaths[directPaths.length - 1]}`, answer };
    }
    for (const path of proxyPaths) await (await fetch(`${cachedUrl}${path}`, { headers: bearer })).arrayBuffer();

    // The pass-through reference relays the same exchanges and answers what the proxy answered.
    writeFileSync(path.join(scratch, "relayed.json"), JSON.stringify(relayed));
    const passThrough = start(passThroughBuild, [], { PASS_THROUGH_TABLE: path.join(scratch, "relayed.json"), PASS_THROUGH_HEADERS: JSON.stringify(direct), PASS_THROUGH_PORT: String(passPort) }, PROXY_NODE_FLAGS, true);
    children.push(passThrough);
    await waitFor(`${passUrl}/healthz`);

    // New searches: each asked once, in letter cases the cache-on proxy has not seen; PhotoShelter's answer is the same.
    const fresh = newCases(mix);
    let taken = 0;
    const newSearches: PathSource = {
      next: () => {
        const { term, page, variant } = fresh[taken++ % fresh.length];
        return proxyPath(term, page).replace(`&q=${term}&`, `&q=${variant}&`);
      },
    };
    const ids = (answer: string) => JSON.stringify((JSON.parse(answer) as { items: Array<{ id: string }> }).items.map((asset) => asset.id));
    if (ids(await (await fetch(`${cachedUrl}${newSearches.next()}`, { headers: bearer })).text()) !== ids(relayed[proxyPaths[0]].answer)) {
      throw new Error("a search in another letter case did not find the same assets");
    }

    let peak = { uncached: 0, cached: 0 };
    const sampler = setInterval(() => {
      peak = { uncached: Math.max(peak.uncached, rssMb(uncached.pid!)), cached: Math.max(peak.cached, rssMb(cached.pid!)) };
    }, 200);

    // A load's last requests may still be in the mock when autocannon stops: one more call waits them out,
    // so the next case does not start behind them (it matters with a large library).
    const drain = async () => void (await (await fetch(`${mockUrl}${directPaths[0]}`, { headers: direct })).arrayBuffer());

    // Warm-up: every process and path through the JIT before anything is measured.
    for (const [url, paths, headers] of [
      [mockUrl, cycle(directPaths), direct],
      [uncachedUrl, cycle(proxyPaths), bearer],
      [cachedUrl, newSearches, bearer],
      [cachedUrl, cycle(proxyPaths), bearer],
      [passUrl, cycle(proxyPaths), {}],
    ] as const) {
      await load(url, paths, headers, CONNECTIONS, WARM_UP_S);
      await drain();
    }

    // The cases take turns, so drift in the machine's load hits all of them alike.
    type Case = "direct" | "uncached" | "fresh" | "cached" | "pass";
    const runs: Record<Case, Result[]> = { direct: [], uncached: [], fresh: [], cached: [], pass: [] };
    const cpu: Record<Exclude<Case, "direct">, number> = { uncached: 0, fresh: 0, cached: 0, pass: 0 };
    const cases = [
      ["uncached", uncached.pid!, uncachedUrl, cycle(proxyPaths), bearer],
      ["fresh", cached.pid!, cachedUrl, newSearches, bearer],
      ["cached", cached.pid!, cachedUrl, cycle(proxyPaths), bearer],
      ["pass", passThrough.pid!, passUrl, cycle(proxyPaths), {}],
    ] as const;
    for (let i = 0; i < rounds; i++) {
      runs.direct.push(await load(mockUrl, cycle(directPaths), direct));
      await drain();
      // Each round starts with another case, so none always follows the direct run.
      for (const [name, pid, url, paths, headers] of [...cases.slice(i % cases.length), ...cases.slice(0, i % cases.length)]) {
        const { result, cpu: used } = await measured(pid, () => load(url, paths, headers));
        runs[name].push(result);
        cpu[name] += used;
        await drain();
      }
    }
    const figures = Object.fromEntries(Object.entries(runs).map(([name, results]) => [name, medianOf(results)])) as Record<Case, Result>;
    const perRequest = (name: Exclude<Case, "direct">) => cpu[name] / Math.max(1, figures[name].requests.total);

    const directSingle = await load(mockUrl, cycle([directPaths[0]]), direct, COALESCED_CONNECTIONS);
    await drain();
    await fetch(`${mockUrl}/__admin/requests`, { method: "DELETE" });
    const coalescedRun = await load(uncachedUrl, cycle([proxyPaths[0]]), bearer, COALESCED_CONNECTIONS);
    const upstreamCalls = (await json<{ total: number }>(`${mockUrl}/__admin/requests?path=/psapi/v4.0/search`)).total;

    const afterRuns: Array<{ uncached: number; cached: number }> = [];
    for (let i = 0; i < REPEATS; i++) {
      await load(uncachedUrl, cycle(proxyPaths), bearer, CONNECTIONS, 3);
      await load(cachedUrl, cycle(proxyPaths), bearer, CONNECTIONS, 3);
      afterRuns.push({ uncached: rssMb(uncached.pid!), cached: rssMb(cached.pid!) });
    }
    clearInterval(sampler);

    const cpuCell = (name: Exclude<Case, "direct">) => perRequest(name).toFixed(2);
    const row = (name: string, r: Result, cpuText = "") => `| ${name} | ${ms(r.latency.p50)} | ${ms(r.latency.p99)} | ${Math.round(r.requests.average)} | ${r.requests.total} | ${r.non2xx + r.errors + r.timeouts} | ${cpuText} |`;
    console.log(`PhotoShelter ${strict ? "ignoring the includes (MOCK_PS_STRICT_INCLUDES=1)" : "answering the includes"}; upstream latency ${UPSTREAM_LATENCY_MS} ms on /search; ${CONNECTIONS} connections; ${rounds} rounds of ${DURATION_S} s per case (direct first, the others in turn, each round starting with another) after ${WARM_UP_S} s of warm-up per case (medians); mix of ${proxyPaths.length} searches (20 per page, ${media.toLocaleString("en-US")}-media library); ${taken} new searches asked (${fresh.length} available, none twice: ${taken <= fresh.length}); processes run with ${PROXY_NODE_FLAGS.join(" ")}.\n`);
    console.log("| case | p50 ms | p99 ms | req/s | requests | errors | CPU ms per request |");
    console.log("|---|---:|---:|---:|---:|---:|---:|");
    console.log(row("direct to mock (uncached mix)", figures.direct));
    console.log(row("through proxy, cache off", figures.uncached, cpuCell("uncached")));
    console.log(row("through proxy, new searches (cache on, each asked once)", figures.fresh, cpuCell("fresh")));
    console.log(row("through proxy, cache hit", figures.cached, cpuCell("cached")));
    console.log(row("pass-through reference (relays the same exchange, nothing else)", figures.pass, cpuCell("pass")));
    console.log(row(`direct, one search × ${COALESCED_CONNECTIONS} connections`, directSingle));
    console.log(row(`through proxy, one search × ${COALESCED_CONNECTIONS} connections, cache off (coalesced)`, coalescedRun));
    console.log("");
    for (const [name, label] of [["uncached", "cache off"], ["fresh", "new searches"]] as const) {
      const ratio = figures[name].latency.p50 / figures.direct.latency.p50;
      console.log(`p50 through proxy (${label}) / direct: ${ratio.toFixed(3)} (budget ≤ ${RATIO_BUDGET}) ${ratio <= RATIO_BUDGET ? "OK" : "OVER"}`);
    }
    // A hit's p50 is under autocannon's millisecond resolution: its mean stands in for it.
    const hitSpeedup = figures.direct.latency.p50 / Math.max(figures.cached.latency.p50, figures.cached.latency.average);
    console.log(`cache hit speed-up over direct (direct p50 / hit p50, or the hits' mean ${figures.cached.latency.average.toFixed(2)} ms when larger): ${hitSpeedup.toFixed(1)}× (budget ≥ 10×) ${hitSpeedup >= 10 ? "OK" : "UNDER"}`);
    for (const [name, label, budget] of [["uncached", "cache off", UNCACHED_CPU_BUDGET_MS], ["fresh", "new searches", UNCACHED_CPU_BUDGET_MS], ["cached", "cache hit", HIT_CPU_BUDGET_MS]] as const) {
      console.log(`proxy CPU per request, ${label}: ${cpuCell(name)} ms (budget ≤ ${budget}) ${perRequest(name) <= budget ? "OK" : "OVER"}; above the pass-through reference: ${(perRequest(name) - perRequest("pass")).toFixed(2)} ms`);
    }
    console.log(`coalesced: ${coalescedRun.requests.total} proxy requests → ${upstreamCalls} upstream searches (${((upstreamCalls / Math.max(1, coalescedRun.requests.total)) * 100).toFixed(1)} per 100)`);
    console.log(`proxy RSS peak: cache off ${peak.uncached.toFixed(0)} MB, cache on ${peak.cached.toFixed(0)} MB (budget ≤ 200 MB) ${Math.max(peak.uncached, peak.cached) <= 200 ? "OK" : "OVER"}`);
    console.log(`proxy RSS after each of ${REPEATS} repeated runs (cache off / cache on): ${afterRuns.map((r) => `${r.uncached.toFixed(0)}/${r.cached.toFixed(0)}`).join(", ")} MB`);
  } finally {
    for (const child of children) child.kill("SIGTERM");
    rmSync(scratch, { recursive: true, force: true });
  }
}
