/**
 * Upstream discipline, with faults injected into the mock PhotoShelter and every upstream call
 * counted in its request log: bounded retries honouring Retry-After, timeouts, malformed bodies,
 * the circuit breaker, request coalescing and the serialized session renewal. The proxy must stay
 * healthy throughout, and no response or log line may carry the PhotoShelter key or session token.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ACCOUNTS, CASES } from "../../mock-server/dataverse/demoData";
import type { FaultRuleInput } from "../../mock-server/admin";
import { withMockDefaults } from "../../mock-server/proxyEnv";
import { loadConfig } from "../../proxy/src/config";
import { startProxy } from "../../proxy/src/server";
import { photoShelterSecrets, Stack, startStack } from "./proxyHarness";

const LITWARE = `account:${ACCOUNTS.litware}`;
const SEARCH = "/psapi/v4.0/search";
const BREAKER_FAILURES = 8;
const BREAKER_RESET_MS = 600;

let stack: Stack;
let riley: string;
const responses: string[] = [];

beforeAll(async () => {
  stack = await startStack({
    CACHE_MAX_ENTRIES: "0", // every read reaches the mock, so the request log counts them
    UPSTREAM_TIMEOUT_MS: "1000", // generous enough for a busy machine, short enough for the timeout test
    UPSTREAM_MAX_RETRIES: "2",
    UPSTREAM_RETRY_BUDGET_MS: "5000",
    UPSTREAM_BREAKER_FAILURES: String(BREAKER_FAILURES),
    UPSTREAM_BREAKER_RESET_MS: String(BREAKER_RESET_MS),
    RATE_LIMIT_PER_MINUTE: "100000",
  });
  riley = await stack.token("riley.rep@contoso.example");
  expect((await search()).status).toBe(200); // warms the access policy so a search is one upstream call
});

beforeEach(() => {
  stack.admin.faults.clear();
  stack.admin.requests.clear();
});

afterAll(() => stack.close());

/** A search through the proxy; the body is kept for the secrets scan. */
async function search(query = "q=photo"): Promise<{ status: number; headers: Headers; body: { error?: { code: string; message: string }; items?: unknown[] } }> {
  const response = await stack.call(`/v1/search?record=${LITWARE}&${query}`, { token: riley });
  const text = await response.text();
  const headers: string[] = [];
  response.headers.forEach((value, name) => headers.push(`${name}: ${value}`));
  responses.push(headers.join("\n") + text);
  return { status: response.status, headers: response.headers, body: JSON.parse(text) };
}

const fault = (rule: FaultRuleInput) => stack.admin.faults.add({ path: SEARCH, ...rule });
const searches = () => stack.admin.requests.count({ path: SEARCH });

async function stillHealthy(): Promise<void> {
  stack.admin.faults.clear();
  expect((await stack.call("/healthz")).status).toBe(200);
  expect((await search("q=logo")).status).toBe(200);
}

describe("retries", () => {
  it("waits out a 429's Retry-After and then succeeds", async () => {
    fault({ kind: "rateLimit", retryAfterSeconds: 1, times: 1 });
    const started = Date.now();
    const result = await search();
    expect(result.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(searches()).toBe(2);
  });

  it("gives up at once when Retry-After is beyond the retry budget, passing it on", async () => {
    fault({ kind: "rateLimit", retryAfterSeconds: 30 });
    const result = await search();
    expect(result.status).toBe(503);
    expect(result.headers.get("retry-after")).toBe("30");
    expect(result.body.error).toEqual({ code: "upstream_unavailable", message: "PhotoShelter is limiting requests; try again shortly" });
    expect(searches()).toBe(1);
    await stillHealthy();
  });

  it("retries a 5xx a bounded number of times, then says PhotoShelter failed", async () => {
    fault({ kind: "error", status: 500 });
    const result = await search();
    expect(result.status).toBe(502);
    expect(result.body.error).toEqual({ code: "upstream_error", message: "PhotoShelter failed (HTTP 500)" });
    expect(searches()).toBe(3);
    await stillHealthy();
  });

  it("times out a slow PhotoShelter, retrying within the budget", async () => {
    fault({ kind: "latency", latencyMs: 3000 });
    const result = await search();
    expect(result.status).toBe(504);
    expect(result.body.error).toEqual({ code: "upstream_timeout", message: "PhotoShelter did not answer in time" });
    expect(searches()).toBe(3);
    await stillHealthy();
  });

  it("reports a malformed body clearly instead of crashing", async () => {
    fault({ kind: "malformed" });
    const result = await search();
    expect(result.status).toBe(502);
    expect(result.body.error).toEqual({ code: "upstream_error", message: "PhotoShelter sent a response the proxy could not read" });
    await stillHealthy();
  });

  it("never repeats an upload (not idempotent)", async () => {
    const sam = await stack.token("sam.service@contoso.example");
    const record = `incident:${CASES.warrantyClaim}`;
    stack.admin.faults.add({ kind: "error", status: 503, path: "/psapi/v3/mem/image/upload" });
    const data = new FormData();
    data.set("file", new Blob([new Uint8Array(stack.photoShelter.files.picture(stack.photoShelter.library.media[0], 8, 8).bytes)], { type: "image/png" }), "x.png");
    const response = await stack.call(`/v1/uploads?record=${record}`, { token: sam, method: "POST", body: data });
    responses.push(await response.text());
    expect(response.status).toBe(503);
    expect(stack.admin.requests.count({ path: "/psapi/v3/mem/image/upload" })).toBe(1);
  });
});

describe("readiness", () => {
  it("reports PhotoShelter as failing while it fails, and the process as healthy", async () => {
    stack.admin.faults.add({ kind: "error", status: 500, path: "/psapi/v4.0/library", times: 3 });
    const ready = await stack.call("/readyz");
    expect(ready.status).toBe(503);
    // Public: the states only. What failed is for admins (the same round of checks).
    expect(await ready.json()).toEqual({ status: "not ready", checks: { photoShelter: "failing", dataverse: "ok", issuer: "ok", state: "ok" }, webhook: { status: expect.any(String) } });
    const details = await stack.call("/v1/admin/readiness", { token: await stack.token("avery.admin@contoso.example") });
    expect(await details.json()).toMatchObject({ status: "not ready", checks: { photoShelter: "failing: PhotoShelter failed (HTTP 500)", dataverse: "ok", issuer: "ok", state: "ok" } });
    expect((await stack.call("/healthz")).status).toBe(200);
    await stillHealthy();
  });
});

describe("circuit breaker", () => {
  it("fails fast while PhotoShelter keeps failing and recovers after the reset time", async () => {
    fault({ kind: "error", status: 500 });
    for (let i = 0; i < 3; i++) await search(); // 9 failed attempts ≥ the threshold
    const before = searches();
    const fast = await search();
    expect(fast.status).toBe(503);
    expect(fast.body.error?.code).toBe("upstream_unavailable");
    expect(searches()).toBe(before); // not sent at all
    stack.admin.faults.clear();
    await sleep(BREAKER_RESET_MS + 50);
    expect((await search()).status).toBe(200);
    expect(stack.proxy.services.photoShelterHttp.breaker.current).toBe("closed");
  });
});

describe("coalescing and the session", () => {
  it("turns 100 concurrent identical searches into one upstream call", async () => {
    // Its own proxy (cache off, patient timeout), so the upstream call can stay open until all 100 have arrived.
    const proxy = await startProxy(loadConfig(withMockDefaults({ STATE_URL: "sqlite::memory:", PROXY_PORT: "0", LOG_LEVEL: "silent", CACHE_MAX_ENTRIES: "0", UPSTREAM_TIMEOUT_MS: "10000" }, stack.mock.url)));
    try {
      const path = `${proxy.url}/v1/search?record=${LITWARE}&q=studio`;
      const get = async () => {
        const response = await fetch(path, { headers: { authorization: `Bearer ${riley}` } });
        const body = await response.text();
        responses.push(body);
        return { status: response.status, body };
      };
      expect((await get()).status).toBe(200); // warms the policy: from here a search is one upstream call
      stack.admin.requests.clear();
      fault({ kind: "latency", latencyMs: 2500 });
      const results = await Promise.all(Array.from({ length: 100 }, get));
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(new Set(results.map((r) => r.body)).size).toBe(1);
      expect(searches()).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it("renews an ended PhotoShelter session once for all concurrent callers", async () => {
    const { "x-ps-auth-token": token } = await stack.proxy.services.session.headers();
    stack.photoShelter.auth.end(token);
    const results = await Promise.all(["a", "b", "c", "d", "e", "f", "g", "h"].map((term) => search(`q=${term}`)));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(stack.admin.requests.count({ path: "/psapi/v4.0/authenticate" })).toBe(1);
    expect(stack.admin.requests.count({ path: "/psapi/v4.0/organization/authenticate" })).toBe(1);
  });
});

describe("OAuth credentials", () => {
  it("signs in with a refresh token and refreshes once, for all callers, when the access token expires", async () => {
    const auth = stack.photoShelter.auth;
    const redirectUri = "https://proxy.contoso.example/oauth/callback";
    const client = auth.registerClient({ applicationName: "PhotoShelter for Dynamics 365", description: "proxy", email: "it@contoso.example", name: "IT", redirectUri, scopes: "", companyName: null, homepageUri: null, privacyPolicyUri: null, logoUri: null });
    const tokens = auth.exchangeCode({ grant_type: "authorization_code", code: auth.issueCode(client, redirectUri), redirect_uri: redirectUri, client_id: client.clientId, client_secret: client.clientSecret });
    const proxy = await startProxy(
      loadConfig(withMockDefaults({
        STATE_URL: "sqlite::memory:", PROXY_PORT: "0",
        LOG_LEVEL: "silent",
        CACHE_MAX_ENTRIES: "0",
        PS_OAUTH_REFRESH_TOKEN: tokens.refresh_token,
        PS_OAUTH_CLIENT_ID: client.clientId,
        PS_OAUTH_CLIENT_SECRET: client.clientSecret,
        PS_OAUTH_REDIRECT_URI: redirectUri,
      }, stack.mock.url)),
    );
    try {
      const get = async (term: string) => (await fetch(`${proxy.url}/v1/search?record=${LITWARE}&q=${term}`, { headers: { authorization: `Bearer ${riley}` } })).status;
      expect(await get("photo")).toBe(200);
      expect(stack.admin.requests.count({ path: "/psapi/v4.0/oauth/token" })).toBe(1);
      expect(auth.expireAccessTokens()).toBeGreaterThan(0);
      expect(await Promise.all(["a", "b", "c", "d", "e", "f"].map(get))).toEqual(Array(6).fill(200));
      expect(stack.admin.requests.count({ path: "/psapi/v4.0/oauth/token" })).toBe(2);
      expect(stack.admin.requests.count({ path: "/psapi/v4.0/organization/authenticate" })).toBe(2);
    } finally {
      await proxy.close();
    }
  });
});

describe("shutdown", () => {
  it("finishes requests in flight, then stops taking new ones", async () => {
    const proxy = await startProxy(loadConfig(withMockDefaults({ STATE_URL: "sqlite::memory:", PROXY_PORT: "0", LOG_LEVEL: "silent" }, stack.mock.url)));
    const token = await stack.token("emma.schmidt@contoso.example");
    const path = `/v1/search?record=account:${ACCOUNTS.tailspin}&q=grid`;
    fault({ kind: "latency", latencyMs: 500 });
    const inFlight = fetch(`${proxy.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    await sleep(200);
    const closed = proxy.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { items: unknown[] }).items).toBeDefined();
    await closed;
    await expect(fetch(`${proxy.url}/healthz`)).rejects.toThrow();
  });
});

describe("secrets", () => {
  it("never puts the PhotoShelter key, password or session token in a response or a log line", async () => {
    const secrets = await photoShelterSecrets(stack);
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    expect(responses.length).toBeGreaterThan(100);
    expect(stack.logs.length).toBeGreaterThan(50);
    for (const text of [...responses, ...stack.logs]) for (const secret of secrets) expect(text.includes(secret)).toBe(false);
  });
});
