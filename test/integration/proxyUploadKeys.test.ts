/**
 * Upload idempotency keys live in the state store (issue 14 item 1: a file is never uploaded twice),
 * over real HTTP, on SQLite and on PostgreSQL: a retry after the proxy restarted, or sent to another
 * instance, gets the asset the first try stored; a try still uploading on another instance answers
 * 409 with Retry-After there while a retry on its own instance waits for it; a claim left by an
 * instance that died holds until its lease ends and is then taken over.
 */
import { connect } from "node:net";
import { CASES } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { withMockDefaults } from "../../mock-server/proxyEnv";
import { loadConfig } from "../../proxy/src/config";
import { startProxy, type RunningProxy } from "../../proxy/src/server";
import { openStore, parseStateUrl, type StateStore } from "../../proxy/src/state";
import { UPLOAD_KEY_PREFIX } from "../../proxy/src/uploadKeys";
import type { Asset } from "../../contract/proxyApi";
import { until } from "../support/automation";
import { Databases, ENGINES } from "../support/automationStack";
import { ORIGIN, startStack, type Stack } from "./proxyHarness";

jest.setTimeout(180_000);

const RECORD = `incident:${CASES.warrantyClaim}`;
const BOUNDARY = "----upload-key-boundary";
const LEASE_MS = 20_000;

const databases = new Databases();
afterAll(() => databases.close());

describe.each(ENGINES)("upload idempotency keys on %s", (engine) => {
  let stack: Stack;
  let stateUrl: string;
  let sam: string;
  const extra: RunningProxy[] = [];

  const env = () => ({ STATE_URL: stateUrl, LOG_LEVEL: "error", UPSTREAM_MAX_RETRIES: "0", UPLOAD_IDLE_TIMEOUT_MS: String(LEASE_MS) });
  /** Another proxy instance (or the same one restarted) on the same state store and mocks. */
  const instance = async () => {
    const proxy = await startProxy(loadConfig(withMockDefaults({ PROXY_PORT: "0", PROXY_ALLOWED_ORIGINS: ORIGIN, ...env() }, stack.mock.url, stack.mock.context.settings)));
    extra.push(proxy);
    return proxy;
  };
  const media = () => stack.photoShelter.library.media.length;
  const picture = () => new Uint8Array(stack.photoShelter.files.picture(stack.photoShelter.library.media[1], 40, 30).bytes);
  const upload = (proxyUrl: string, key: string) => {
    const data = new FormData();
    data.set("file", new Blob([picture()], { type: "image/png" }), "evidence.png");
    return fetch(`${proxyUrl}/v1/uploads?record=${RECORD}`, { method: "POST", body: data, headers: { authorization: `Bearer ${sam}`, "idempotency-key": key } });
  };
  const asset = async (response: Response) => {
    const text = await response.text();
    if (response.status !== 201) throw new Error(`expected 201, got ${response.status}: ${text}`);
    return JSON.parse(text) as Asset;
  };
  const storeKey = (key: string) => `${UPLOAD_KEY_PREFIX}${USERS.serviceAgent.id}|${RECORD}|${key}`;
  /** The test's own view of the state store (instances come and go). */
  let view: StateStore;
  const stored = (key: string) => view.keys.get(storeKey(key));

  beforeAll(async () => {
    stateUrl = await databases.url(engine);
    stack = await startStack({ STATE_URL: stateUrl, LOG_LEVEL: "warn", UPSTREAM_MAX_RETRIES: "0", UPLOAD_IDLE_TIMEOUT_MS: String(LEASE_MS) });
    sam = await stack.token(USERS.serviceAgent.upn);
    view = await openStore(parseStateUrl(stateUrl));
  });
  afterAll(async () => {
    await view?.close();
    for (const proxy of extra) await proxy.close();
    await stack?.close();
  });

  it("answers a retry after a restart with the asset the first try stored, and uploads nothing", async () => {
    const before = media();
    const first = await asset(await upload(stack.proxy.url, "restart-key-0001"));
    expect(media()).toBe(before + 1);
    expect(JSON.parse((await stored("restart-key-0001"))!)).toEqual({ state: "stored", mediaId: first.id });

    // The same instance, restarted on the same store: nothing of it is left in memory.
    await stack.proxy.close();
    const restarted = await instance();
    const retry = await upload(restarted.url, "restart-key-0001");
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect((await asset(retry)).id).toBe(first.id);
    expect(media()).toBe(before + 1);
  });

  it("answers a retry on another instance with the stored asset; while the first try uploads, 409 with Retry-After there and a wait on its own instance", async () => {
    const [a, b] = [await instance(), await instance()];
    const before = media();
    const key = "two-instances-0001";
    const body = Buffer.concat([
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="slow.png"\r\nContent-Type: image/png\r\n\r\n`),
      Buffer.from(picture()),
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
    // The first try on A sends its headers and half its body, then waits.
    const { hostname, port } = new URL(a.url);
    const socket = connect(Number(port), hostname);
    let answer = "";
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.write(
      `POST /v1/uploads?record=${RECORD} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${sam}\r\nIdempotency-Key: ${key}\r\nConnection: close\r\n` +
        `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    socket.write(body.subarray(0, body.length >> 1));
    await until(async () => JSON.parse((await stored(key)) ?? "{}").state === "uploading", "the first try claimed the key");

    const elsewhere = await upload(b.url, key);
    expect(elsewhere.status).toBe(409);
    expect(await elsewhere.json()).toEqual({ error: { code: "conflict", message: "An upload with this Idempotency-Key is still running; try again shortly" } });
    const retryAfter = Number(elsewhere.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(LEASE_MS / 1000);

    // A retry on A itself waits for the first try instead.
    const waiting = upload(a.url, key);
    socket.write(body.subarray(body.length >> 1));
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 201/);
    const first = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) as Asset;
    const waited = await waiting;
    expect(waited.headers.get("idempotent-replayed")).toBe("true");
    expect((await asset(waited)).id).toBe(first.id);
    const later = await upload(b.url, key);
    expect(later.headers.get("idempotent-replayed")).toBe("true");
    expect((await asset(later)).id).toBe(first.id);
    expect(media()).toBe(before + 1);
  });

  it("honours the claim of an instance that died until its lease ends, then takes the key over and uploads once", async () => {
    const proxy = await instance();
    const key = "dead-instance-0001";
    const keys = view.keys;
    const before = media();
    await keys.put(storeKey(key), JSON.stringify({ state: "uploading", claim: "a-dead-instance", until: Date.now() + 60_000 }));
    const refused = await upload(proxy.url, key);
    expect(refused.status).toBe(409);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(LEASE_MS / 1000);
    expect(media()).toBe(before);

    // Its lease has run out: the next try uploads, and the key keeps what it stored.
    await keys.set(storeKey(key), JSON.stringify({ state: "uploading", claim: "a-dead-instance", until: Date.now() - 1 }));
    const taken = await upload(proxy.url, key);
    expect(taken.headers.get("idempotent-replayed")).toBeNull();
    const created = await asset(taken);
    expect(media()).toBe(before + 1);
    expect(JSON.parse((await keys.get(storeKey(key)))!)).toEqual({ state: "stored", mediaId: created.id });
    expect((await asset(await upload(proxy.url, key))).id).toBe(created.id);
    expect(media()).toBe(before + 1);
  });

  it("frees the key when the upload fails, so the file can be retried, once", async () => {
    const proxy = await instance();
    const key = "failed-first-0001";
    const before = media();
    const fault = stack.admin.faults.add({ kind: "error", method: "POST", path: "/psapi/v3/mem/image/upload", status: 500, times: 1 });
    expect((await upload(proxy.url, key)).status).toBeGreaterThanOrEqual(500);
    stack.admin.faults.remove(fault.id);
    await until(async () => (await stored(key)) === null, "the failed try gave the key back");
    expect(media()).toBe(before);
    const created = await asset(await upload(proxy.url, key));
    expect((await asset(await upload(proxy.url, key))).id).toBe(created.id);
    expect(media()).toBe(before + 1);
  });
});
