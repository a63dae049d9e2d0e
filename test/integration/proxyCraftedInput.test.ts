/**
 * Crafted input answers 4xx, never 5xx (issue 11, item 5), over real HTTP: the reproductions one by
 * one, then a seeded fuzz run of a few thousand generated requests over every route and parameter —
 * first against healthy mocks (no 5xx at all), then with upstream faults injected into PhotoShelter
 * and Dataverse (5xx only as 502, 503 with Retry-After, or 504). Every error is `{ error: { code, message } }`.
 */
import fc from "fast-check";
import { connect } from "node:net";
import { ACCOUNTS, CAMPAIGNS, CASES } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { COLLECTIONS, GALLERY_LIST } from "../../mock-server/photoshelter/wellKnown";
import { Stack, startStack } from "./proxyHarness";

jest.setTimeout(300_000);

const LITWARE = `account:${ACCOUNTS.litware}`;
const CASE = `incident:${CASES.damagedDelivery}`;
const GUID = ACCOUNTS.litware;

let stack: Stack;
let riley: string;
let sam: string;

beforeAll(async () => {
  stack = await startStack({ RATE_LIMIT_PER_MINUTE: "1000000", AUTH_FAILURES_PER_MINUTE: "1000000", MEDIA_RATE_LIMIT_PER_MINUTE: "1000000", UPSTREAM_MAX_RETRIES: "0", UPLOAD_MAX_BYTES: "100000" });
  [riley, sam] = await Promise.all([stack.token(USERS.salesNorthAmerica.upn), stack.token(USERS.serviceAgent.upn)]);
});
afterAll(() => stack?.close());

interface Answer {
  status: number;
  body: unknown;
  retryAfter: string | null;
  /** A streamed answer (a file, a ZIP) cut off after its headers: all a stream can do when an upstream fails midway. */
  cutOff?: boolean;
}

async function send(path: string, init: RequestInit & { token?: string } = {}): Promise<Answer> {
  const response = await stack.call(path, init);
  let text: string;
  try {
    text = await response.text();
  } catch {
    return { status: response.status, body: null, retryAfter: null, cutOff: true };
  }
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // a file or a ZIP
  }
  return { status: response.status, body, retryAfter: response.headers.get("retry-after") };
}

const isErrorBody = (body: unknown) => {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === "string" && typeof error.message === "string";
};

/** A raw request, for what fetch will not send (oversized headers). */
function raw(request: string): Promise<string> {
  const { hostname, port } = new URL(stack.proxy.url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
    socket.on("close", () => resolve(text));
    socket.on("error", () => resolve(text));
  });
}

const multipart = (boundary: string, body: string) => ({ method: "POST", headers: { "content-type": `multipart/form-data; boundary=${boundary}` }, body });

describe("the reproductions", () => {
  it("a prototype property as the table answers 400, whatever the route", async () => {
    for (const table of ["constructor", "__proto__", "tostring", "hasownproperty", "valueof", "__definegetter__"]) {
      for (const path of [`/v1/search?record=${table}:${GUID}`, `/v1/containers?record=${table}:${GUID}`]) {
        const answer = await send(path, { token: riley });
        expect([path, answer.status]).toEqual([path, 400]);
        expect(isErrorBody(answer.body)).toBe(true);
      }
      const upload = await send(`/v1/uploads?record=${table}:${GUID}`, { token: sam, ...multipart("b", "--b\r\n") });
      expect(upload.status).toBe(400);
    }
  });

  it("a multipart body with a wrong or missing boundary answers 400", async () => {
    const file = 'Content-Disposition: form-data; name="file"; filename="x.png"\r\nContent-Type: image/png\r\n\r\nPNG\r\n';
    for (const [type, body] of [
      ["multipart/form-data; boundary=zzz", `--yyy\r\n${file}--yyy--\r\n`],
      ["multipart/form-data", `--yyy\r\n${file}--yyy--\r\n`],
      ["multipart/form-data; boundary=", "--\r\n"],
      ["multipart/form-data; boundary=b", "garbage without any boundary"],
    ]) {
      const answer = await send(`/v1/uploads?record=${CASE}`, { token: sam, method: "POST", headers: { "content-type": type }, body });
      expect([type, answer.status]).toEqual([type, 400]);
      expect(isErrorBody(answer.body)).toBe(true);
    }
  });

  it("non-finite and out-of-range page numbers answer 400; the last page PhotoShelter serves still answers", async () => {
    for (const query of ["page=1e309", "perPage=1e309", "page=-1e309", "page=1000", "perPage=101", "page=0", "page=1.5", "page=Infinity", "page=NaN"]) {
      const answer = await send(`/v1/search?record=${LITWARE}&${query}`, { token: riley });
      expect([query, answer.status]).toEqual([query, 400]);
      expect((answer.body as { error: { code: string } }).error.code).toBe("validation_failed");
    }
    expect((await send(`/v1/containers?record=${LITWARE}&page=1e309`, { token: riley })).status).toBe(400);
    expect((await send(`/v1/search?record=${LITWARE}&page=999`, { token: riley })).status).toBe(200);
    const media = await send(`/v1/media/I000000000000001/thumb?exp=1e309&u=x&sig=${"a".repeat(43)}`);
    expect(media.status).toBe(400);
  });

  it("a size a document does not have answers 400 naming the sizes it has", async () => {
    const found = await send(`/v1/search?record=${LITWARE}&mediaType=document&includeRestricted=true&perPage=1`, { token: riley });
    const [doc] = (found.body as { items: Array<{ id: string }> }).items;
    const medium = await send(`/v1/assets/${doc.id}/download?record=${LITWARE}&size=medium`, { token: riley });
    expect(medium.status).toBe(400);
    expect(medium.body).toEqual({ error: { code: "validation_failed", message: "This asset downloads as original only, not medium" } });
    expect((await send(`/v1/assets/${doc.id}/download?record=${LITWARE}&size=original`, { token: riley })).status).toBe(200);
  });

  it("a truncated or malformed upstream body is a bad gateway (502), an unreachable upstream a 503 with Retry-After", async () => {
    const truncate = stack.admin.faults.add({ kind: "truncate", path: "/psapi/v4.0/search", times: 1 });
    const cut = await send(`/v1/search?record=${LITWARE}&q=truncated-once`, { token: riley });
    expect(cut.status).toBe(502);
    expect((cut.body as { error: { code: string } }).error.code).toBe("upstream_error");
    stack.admin.faults.remove(truncate.id);
    const malformed = stack.admin.faults.add({ kind: "malformed", path: "/psapi/v4.0/search", times: 1 });
    expect((await send(`/v1/search?record=${LITWARE}&q=malformed-once`, { token: riley })).status).toBe(502);
    stack.admin.faults.remove(malformed.id);
    const reset = stack.admin.faults.add({ kind: "reset", path: "/psapi/v4.0/search", times: 1 });
    const unreachable = await send(`/v1/search?record=${LITWARE}&q=reset-once`, { token: riley });
    expect(unreachable.status).toBe(503);
    expect(Number(unreachable.retryAfter)).toBeGreaterThan(0);
    stack.admin.faults.remove(reset.id);
  });

  it("a URL or headers too long answer 414 and 431 in the error shape", async () => {
    const long = await send(`/v1/search?record=${LITWARE}&q=${"a".repeat(9000)}`, { token: riley });
    expect(long.status).toBe(414);
    expect(isErrorBody(long.body)).toBe(true);
    const answer = await raw(`GET /v1/search?record=${LITWARE} HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))).toEqual({ error: { code: "validation_failed", message: "The request headers are too large" } });
    const garbage = await raw("NOT HTTP AT ALL\r\n\r\n");
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
  });
});

describe("fuzz", () => {
  // Ids of the mock library's media (the type's prefix, 000, then the number): most exist, some do not.
  const someMedia = () => fc.record({ prefix: fc.constantFrom("I0", "DO", "VD", "AD"), n: fc.integer({ min: 1, max: 320 }) }).map(({ prefix, n }) => `${prefix}000${String(n).padStart(11, "0")}`);
  const someContainer = () => fc.constantFrom(...Object.values(COLLECTIONS), ...GALLERY_LIST.map((gallery) => gallery.id));
  const junk = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 20 }),
    fc.constantFrom("", " ", "null", "undefined", "NaN", "Infinity", "-Infinity", "1e309", "-1e309", "0x10", "1e2", "9".repeat(30), "-0", "true", "[]", "{}", "%00", "%zz", "../..", "constructor", "__proto__", "prototype", "toString", "'", "\""),
  );
  /** Mostly a good value, now and then a bad one: a request gets far when all its parts are good. */
  const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) => fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: bad, weight: 1 });
  const record = fc.oneof(
    { arbitrary: fc.constantFrom(LITWARE, LITWARE, LITWARE, CASE), weight: 8 },
    fc.constantFrom(LITWARE, CASE, `campaign:${CAMPAIGNS.springLaunch}`, `account:${ACCOUNTS.tailspin}`, `account:00000000-0000-4000-8000-00000000dead`, `ACCOUNT:${GUID}`, `account:${GUID.toUpperCase()}`, `account:{${GUID}}`, `systemuser:${GUID}`, `psh_assetlink:${GUID}`),
    fc.constantFrom("constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf", "account", "incident", "contact", "opportunity", "msevtmgt_event").map((table) => `${table}:${GUID}`),
    junk,
  );
  const number = mostly(fc.integer({ min: 1, max: 60 }).map(String), fc.oneof(fc.integer({ min: -5, max: 1200 }).map(String), fc.double().map(String), junk));
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const query = (params: Record<string, string | undefined>) =>
    Object.entries(params)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value!)}`)
      .join("&");
  const token = mostly(fc.constantFrom<"riley" | "sam">("riley", "riley", "riley", "sam"), fc.constantFrom<"none" | "junk">("none", "junk"));

  type Request = { path: string; method: "GET" | "POST"; who: "riley" | "sam" | "none" | "junk"; contentType?: string; body?: string };
  const get = (path: fc.Arbitrary<string>): fc.Arbitrary<Request> => fc.record({ path, method: fc.constant<"GET">("GET"), who: token });
  const post = (path: fc.Arbitrary<string>, body: fc.Arbitrary<string>, contentType: fc.Arbitrary<string | undefined> = fc.constant("application/json")): fc.Arbitrary<Request> =>
    fc.record({ path, method: fc.constant<"POST">("POST"), who: token, body, contentType });

  const ids = fc.oneof(
    { arbitrary: fc.array(someMedia(), { minLength: 1, maxLength: 12 }).map((list) => JSON.stringify({ ids: list })), weight: 6 },
    fc.array(mostly(someMedia(), junk), { maxLength: 12 }).map((list) => JSON.stringify({ ids: list })),
    fc.constantFrom("", "{", "null", "[]", '{"ids":null}', '{"ids":"I000000000000001"}', '{"ids":[]}', `{"ids":${JSON.stringify(Array(501).fill("I000000000000001"))}}`, '{"ids":[1,2,3]}', '{"ids":["I000000000000001"],"extra":1}', '{"__proto__":{"ids":["x"]}}', '{"ids":[1e309]}'),
    junk,
  );
  const multipartBody = fc.record({ boundary: fc.oneof(fc.constantFrom("b", "----x"), fc.string({ minLength: 1, maxLength: 20 })), sent: fc.oneof(fc.constantFrom("b", "----x", "other"), junk), name: fc.constantFrom("file", "caption", "other", "__proto__"), type: fc.constantFrom("image/png", "application/x-msdownload", "", "image/png\r\nX-Evil: 1"), data: fc.string({ maxLength: 200 }), close: fc.boolean() });

  const requests: fc.Arbitrary<Request> = fc.oneof(
    get(fc.record({ record, parentId: maybe(mostly(someContainer(), junk)), page: maybe(number), perPage: maybe(number) }).map((p) => `/v1/containers?${query(p)}`)),
    get(
      fc
        .record({
          record,
          q: maybe(fc.oneof(fc.constantFrom("logo", "png", "aquila", "hero shot"), fc.string({ maxLength: 60 }), fc.string({ unit: "grapheme", maxLength: 30 }), junk)),
          mediaType: maybe(mostly(fc.constantFrom("image", "video", "audio", "document"), junk)),
          rights: maybe(mostly(fc.constantFrom("approved", "expired,restricted", "unknown"), fc.oneof(fc.constant("approved,"), junk))),
          containerId: maybe(mostly(someContainer(), junk)),
          orientation: maybe(mostly(fc.constantFrom("landscape", "portrait", "square"), junk)),
          from: maybe(mostly(fc.constantFrom("2023-01-01", "2022-06-30"), fc.oneof(fc.constantFrom("2023-13-45", "0000-00-00", "9999-12-31"), junk))),
          to: maybe(mostly(fc.constantFrom("2023-12-31", "2026-01-01"), fc.oneof(fc.constant("2024-02-30"), junk))),
          sort: maybe(mostly(fc.constantFrom("relevance", "newest", "oldest", "name"), junk)),
          includeRestricted: maybe(mostly(fc.constantFrom("true", "false"), junk)),
          page: maybe(number),
          perPage: maybe(number),
        })
        .map((p) => `/v1/search?${query(p)}`),
    ),
    get(fc.record({ id: mostly(someMedia(), junk), record }).map(({ id, record: r }) => `/v1/assets/${encodeURIComponent(id)}?${query({ record: r })}`)),
    get(fc.record({ id: mostly(someMedia(), junk), record, size: maybe(mostly(fc.constantFrom("original", "large", "medium"), junk)) }).map(({ id, ...p }) => `/v1/assets/${encodeURIComponent(id)}/download?${query(p)}`)),
    get(fc.record({ id: mostly(someMedia(), junk), size: fc.oneof(fc.constantFrom("thumb", "preview", "key"), junk), exp: maybe(number), u: maybe(junk), sig: maybe(fc.oneof(fc.string({ minLength: 43, maxLength: 43 }), junk)) }).map(({ id, size, ...p }) => `/v1/media/${encodeURIComponent(id)}/${encodeURIComponent(size)}?${query(p)}`)),
    // Signed as the proxy signs them (so they get through), now and then with a part swapped.
    get(
      fc.record({ id: someMedia(), size: fc.constantFrom<"thumb" | "preview" | "key">("thumb", "preview", "key"), swap: maybe(fc.tuple(fc.constantFrom("exp", "u", "sig"), junk)) }).map(({ id, size, swap }) => {
        const { signer } = stack.proxy.services;
        const signed = new URLSearchParams(signer.sign(id, size, signer.userKey(USERS.salesNorthAmerica.id)));
        if (swap) signed.set(swap[0], swap[1]);
        return `/v1/media/${id}/${size}?${signed.toString()}`;
      }),
    ),
    post(record.map((r) => `/v1/assets/batch?${query({ record: r })}`), ids, mostly(fc.constant("application/json"), fc.constantFrom("text/plain", "application/json; charset=utf-16", ""))),
    post(record.map((r) => `/v1/downloads/zip?${query({ record: r })}`), ids),
    post(
      fc.oneof(fc.constant(CASE), record).map((r) => `/v1/uploads?${query({ record: r })}`),
      multipartBody.map((m) => `--${m.sent}\r\nContent-Disposition: form-data; name="${m.name}"; filename="f.png"\r\nContent-Type: ${m.type}\r\n\r\n${m.data}\r\n${m.close ? `--${m.sent}--\r\n` : ""}`),
      fc.oneof(multipartBody.map((m) => `multipart/form-data; boundary=${m.boundary}`), fc.constantFrom("multipart/form-data", "multipart/mixed; boundary=b", "application/octet-stream", "multipart/form-data; boundary=\"b\"")),
    ),
    get(fc.oneof(junk, fc.constantFrom("/v1/", "/v1/assets/", "/v1/__proto__", "/v1/constructor", "/v1/assets/constructor", "//v1/search", "/v1/search/..", "/v1/openapi.json", "/v1/config", "/healthz")).map((p) => (p.startsWith("/") ? p : `/v1/${encodeURIComponent(p)}`))),
  );

  async function run(request: Request): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (request.contentType) headers["content-type"] = request.contentType;
    if (request.who === "junk") headers.authorization = "Bearer not.a.token";
    const bearer = request.who === "riley" ? riley : request.who === "sam" ? sam : undefined;
    return send(request.path, { method: request.method, headers, body: request.body, token: bearer });
  }

  /** Answers by status class, to show the run reached the routes' work and, with faults, the faults. */
  const seen = new Map<string, number>();

  function check(request: Request, answer: Answer, faults: boolean): void {
    const bucket = `${Math.floor(answer.status / 100)}xx`;
    seen.set(bucket, (seen.get(bucket) ?? 0) + 1);
    if (answer.cutOff && !(faults && answer.status === 200)) throw new Error(`${request.method} ${request.path} was cut off after ${answer.status}`);
    const allowed = answer.status < 500 || (faults && [502, 503, 504].includes(answer.status));
    if (!allowed) throw new Error(`${request.method} ${request.path} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
    if (answer.status >= 400 && !answer.cutOff && !isErrorBody(answer.body)) throw new Error(`${request.method} ${request.path} answered ${answer.status} without the error shape: ${String(answer.body).slice(0, 200)}`);
    if (answer.status === 503 && !answer.retryAfter) throw new Error(`${request.method} ${request.path} answered 503 without Retry-After`);
  }

  const unexpected = () => stack.logs.filter((line) => line.includes('"unexpected error"'));

  it("healthy upstreams: no 5xx at all (seeded, bounded run)", async () => {
    seen.clear();
    await fc.assert(
      fc.asyncProperty(requests, async (request) => check(request, await run(request), false)),
      { seed: 20261201, numRuns: 2000, interruptAfterTimeLimit: 150_000, markInterruptAsFailure: false },
    );
    expect(unexpected()).toEqual([]);
    // Not only refusals: a good share got through validation, auth and policy to an answer.
    expect(seen.get("2xx") ?? 0).toBeGreaterThan(100);
  });

  it("injected upstream faults: 5xx only as 502, 503 with Retry-After, or 504", async () => {
    seen.clear();
    const faults = [
      stack.admin.faults.add({ kind: "error", path: "/psapi/", status: 500, rate: 0.1 }),
      stack.admin.faults.add({ kind: "error", path: "/psapi/", status: 503, rate: 0.05 }),
      stack.admin.faults.add({ kind: "truncate", path: "/psapi/", rate: 0.05 }),
      stack.admin.faults.add({ kind: "malformed", path: "/psapi/", rate: 0.05 }),
      stack.admin.faults.add({ kind: "reset", path: "/psapi/", rate: 0.05 }),
      stack.admin.faults.add({ kind: "error", path: "/api/data/v9.2/", status: 500, rate: 0.05 }),
      stack.admin.faults.add({ kind: "truncate", path: "/api/data/v9.2/", rate: 0.05 }),
      stack.admin.faults.add({ kind: "rateLimit", path: "/api/data/v9.2/", rate: 0.05, retryAfterSeconds: 1 }),
    ];
    try {
      await fc.assert(
        fc.asyncProperty(requests, async (request) => check(request, await run(request), true)),
        { seed: 20261202, numRuns: 1000, interruptAfterTimeLimit: 120_000, markInterruptAsFailure: false },
      );
    } finally {
      for (const fault of faults) stack.admin.faults.remove(fault.id);
    }
    expect(unexpected()).toEqual([]);
    expect(seen.get("5xx") ?? 0).toBeGreaterThan(20);
    expect(seen.get("2xx") ?? 0).toBeGreaterThan(50);
  });
});
