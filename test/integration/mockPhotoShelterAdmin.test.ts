/** /__admin: each fault mode, the request log, the per-key rate limit, reset and seed. */
import { adminOf } from "../../mock-server/admin";
import { photoShelterOf } from "../../mock-server/photoshelter";
import { GALLERIES } from "../../mock-server/photoshelter/wellKnown";
import { PhotoShelterTestClient, startPhotoShelter } from "./mockPhotoShelterHelpers";

let ps: PhotoShelterTestClient;
let token: string;
beforeAll(async () => {
  ps = await startPhotoShelter(80);
  token = await ps.signIn();
});
afterAll(() => ps.server.close());
afterEach(async () => {
  await ps.call("DELETE", "/__admin/faults");
  await ps.call("PUT", "/__admin/rate-limit", { json: { limit: 10000, windowSeconds: 60 } });
});

const library = () => ps.get("/psapi/v4.0/library", { token });
const addFault = async (rule: Record<string, unknown>) => {
  const reply = await ps.call("POST", "/__admin/faults", { json: rule });
  expect(reply.status).toBe(201);
  return reply.json;
};

describe("faults", () => {
  it("latency (with jitter) delays matching requests only", async () => {
    await addFault({ kind: "latency", path: "/psapi/v4.0/library", latencyMs: 200, jitterMs: 50 });
    let started = Date.now();
    expect((await library()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
    started = Date.now();
    await ps.get("/psapi/v4.0/user/session", { token });
    expect(Date.now() - started).toBeLessThan(195);
  });

  it("hold keeps matching requests waiting, counted, until the rule is removed; others pass", async () => {
    const rule = await addFault({ kind: "hold", method: "GET", path: "/psapi/v4.0/library" });
    let answered = 0;
    const held = Array.from({ length: 3 }, () => library().then((reply) => (answered++, reply.status)));
    const heldNow = async () => ((await ps.get("/__admin/faults")).json.faults as Array<{ id: string; held?: number }>).find((f) => f.id === rule.id)?.held;
    while ((await heldNow()) !== 3) await new Promise((resolve) => setImmediate(resolve));
    expect((await ps.get("/psapi/v4.0/user/session", { token })).status).toBe(200);
    expect(answered).toBe(0);
    expect((await ps.call("DELETE", `/__admin/faults/${rule.id}`)).status).toBe(200);
    expect(await Promise.all(held)).toEqual([200, 200, 200]);
  });

  it("error rate: a seeded fraction of requests fails, the same way every time", async () => {
    const run = async () => {
      const rule = await addFault({ kind: "error", method: "GET", pathPattern: "^/psapi/v4\\.0/collections/C\\w+$", rate: 0.5, status: 503, seed: 99 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await ps.get("/psapi/v4.0/collections/C000000000000001", { token })).status);
      await ps.call("DELETE", `/__admin/faults/${rule.id}`);
      return statuses;
    };
    const first = await run();
    const failures = first.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(2);
    expect(failures).toBeLessThan(18);
    expect(first.filter((s) => s !== 503).every((s) => s === 200)).toBe(true);
    expect(await run()).toEqual(first);
  });

  it("injected errors use PhotoShelter's error shape on PhotoShelter paths", async () => {
    await addFault({ kind: "error", path: "/psapi/v4.0/", status: 500, times: 1 });
    const reply = await library();
    expect(reply.status).toBe(500);
    expect(reply.json.errors[0]).toMatchObject({ id: "ServiceException", status: "500" });
    expect((await library()).status).toBe(200); // times: 1
  });

  it("a 429 burst answers TooManyRequestsException with Retry-After for the next N calls", async () => {
    await addFault({ kind: "rateLimit", path: "/psapi/", times: 2, retryAfterSeconds: 7 });
    for (let i = 0; i < 2; i++) {
      const reply = await library();
      expect(reply.status).toBe(429);
      expect(reply.headers.get("retry-after")).toBe("7");
      expect(reply.json.errors[0].id).toBe("TooManyRequestsException");
    }
    expect((await library()).status).toBe(200);
  });

  it("truncate promises the full length, sends half and drops the connection", async () => {
    await addFault({ kind: "truncate", path: "/psapi/v4.0/library", times: 1 });
    await expect(library()).rejects.toThrow();
    expect((await library()).status).toBe(200);
  });

  it("malformed keeps the status but the body is not valid JSON", async () => {
    await addFault({ kind: "malformed", path: "/psapi/v4.0/library", times: 1 });
    const response = await fetch(`${ps.url}/psapi/v4.0/library`, { headers: { "x-ps-api-key": ps.apiKey, authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(() => JSON.parse(text)).toThrow();
  });

  it("reset drops the connection without a response", async () => {
    await addFault({ kind: "reset", path: "/psapi/v4.0/library", times: 1 });
    await expect(library()).rejects.toThrow();
    expect((await library()).status).toBe(200);
  });

  it("apply to every path of the server, with the generic error body where no route group set its own", async () => {
    await addFault({ kind: "error", path: "/api/data/v9.2/", status: 503 });
    expect((await ps.get("/api/data/v9.2/accounts", { apiKey: null })).status).toBe(503);
    await addFault({ kind: "error", path: "/elsewhere/", status: 504 });
    const reply = await ps.get("/elsewhere/thing", { apiKey: null });
    expect(reply.status).toBe(504);
    expect(reply.json).toEqual({ error: { code: "injected_fault", message: expect.any(String) } });
  });

  it("are listed, removed one by one, validated, and settable in-process", async () => {
    const rule = await addFault({ kind: "latency", path: "/x", latencyMs: 1 });
    expect((await ps.get("/__admin/faults")).json.faults.map((f: { id: string }) => f.id)).toEqual([rule.id]);
    expect((await ps.call("DELETE", `/__admin/faults/${rule.id}`)).status).toBe(200);
    expect((await ps.call("DELETE", `/__admin/faults/${rule.id}`)).status).toBe(404);
    expect((await ps.call("POST", "/__admin/faults", { json: { kind: "explode" } })).status).toBe(400);
    expect((await ps.call("POST", "/__admin/faults", { json: { kind: "error", pathPattern: "([" } })).status).toBe(400);
    expect((await ps.call("POST", "/__admin/faults", { json: { kind: "error", rate: 2 } })).status).toBe(400);
    adminOf(ps.server.context).faults.add({ kind: "error", path: "/psapi/v4.0/library", status: 502, times: 1 });
    expect((await library()).status).toBe(502);
  });
});

describe("request log", () => {
  it("counts upstream calls by path and method, never logs /__admin, and can be cleared", async () => {
    await ps.call("DELETE", "/__admin/requests");
    await library();
    await library();
    await ps.get("/psapi/v4.0/user/session", { token });
    const log = await ps.get("/__admin/requests?path=/psapi/v4.0/library&method=GET");
    expect(log.json.total).toBe(2);
    expect(log.json.items[0]).toMatchObject({ method: "GET", path: "/psapi/v4.0/library", status: 200, apiKey: ps.apiKey });
    expect(adminOf(ps.server.context).requests.count()).toBe(3);
    await ps.call("DELETE", "/__admin/requests");
    expect((await ps.get("/__admin/requests")).json.total).toBe(0);
  });
});

describe("per-key rate limit", () => {
  it("answers 429 with Retry-After past the limit, counts in meta.rate_limit, and keeps keys apart", async () => {
    await ps.call("PUT", "/__admin/rate-limit", { json: { limit: 3, windowSeconds: 30 } });
    const currents: number[] = [];
    for (let i = 0; i < 3; i++) {
      const reply = await library();
      expect(reply.status).toBe(200);
      currents.push(reply.json.meta.rate_limit.current);
      expect(reply.json.meta.rate_limit.limit).toBe(3);
    }
    expect(currents).toEqual([1, 2, 3]);
    const limited = await library();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.json.errors[0].id).toBe("TooManyRequestsException");
    // Another key has its own window (it then fails the key check, not the limit).
    expect((await ps.get("/psapi/v4.0/library", { apiKey: "another-key" })).status).toBe(403);
    expect((await ps.call("PUT", "/__admin/rate-limit", { json: { limit: -1 } })).status).toBe(400);
  });
});

describe("reset and seed", () => {
  it("regenerates the library from a seed and forgets writes and usage; the same seed gives the same library", async () => {
    const state = photoShelterOf(ps.server.context);
    await ps.call("POST", "/psapi/v3/mem/gallery/insert", { headers: { "x-ps-auth-token": token }, form: { name: "Temporary" } });
    await ps.get(`/psapi/v4.0/media/${state.library.media[0].id}/download`, { token });
    await addFault({ kind: "latency", path: "/nowhere", latencyMs: 1 });
    const reset = await ps.call("POST", "/__admin/reset", { json: { seed: 7, media: 50 } });
    expect(reset.json).toEqual({ reset: true, seed: 7, media: 50 });
    expect((await ps.get("/__admin/photoshelter/library")).json).toMatchObject({ seed: 7, media: 50 });
    expect((await ps.get("/psapi/v4.0/galleries?name=Temporary", { token })).json.data).toEqual([]);
    expect((await ps.get("/__admin/photoshelter/usage")).json.items).toEqual([]);
    expect((await ps.get("/__admin/faults")).json.faults).toEqual([]);
    // Sessions survive a reset.
    const first = (await ps.get(`/psapi/v4.0/galleries/${GALLERIES.caseEvidenceInbox}/children?per_page=1000`, { token })).json.data;
    await ps.call("POST", "/__admin/reset", { json: { seed: 8 } });
    expect((await ps.get(`/psapi/v4.0/galleries/${GALLERIES.caseEvidenceInbox}/children?per_page=1000`, { token })).json.data).not.toEqual(first);
    await ps.call("POST", "/__admin/reset", { json: { seed: 7 } });
    expect((await ps.get(`/psapi/v4.0/galleries/${GALLERIES.caseEvidenceInbox}/children?per_page=1000`, { token })).json.data).toEqual(first);
    expect((await ps.call("POST", "/__admin/reset", { json: { seed: "x" } })).status).toBe(400);
  });
});

describe("deleting an asset (what PhotoShelter's web app does and its API cannot)", () => {
  it("takes the asset out of every gallery, search and read; deleting it again is a 404", async () => {
    const state = photoShelterOf(ps.server.context);
    const asset = state.library.media.find((m) => m.galleryIds.length > 0 && !m.deleted)!;
    const [galleryId] = asset.galleryIds;
    const childIds = async () => ((await ps.get(`/psapi/v4.0/galleries/${galleryId}/children?per_page=1000`, { token })).json.data as Array<{ id: string }>).map((child) => child.id);
    const searched = async () => ((await ps.get(`/psapi/v4.0/search?terms=${encodeURIComponent(asset.fileName)}&per_page=100`, { token })).json.data as Array<{ id: string }>).map((m) => m.id);
    expect(await childIds()).toContain(asset.id);
    expect(await searched()).toContain(asset.id);
    expect((await ps.call("DELETE", `/__admin/photoshelter/media/${asset.id}`)).status).toBe(204);
    expect((await ps.get(`/psapi/v4.0/media/${asset.id}`, { token })).status).toBe(404);
    expect(await childIds()).not.toContain(asset.id);
    expect(await searched()).not.toContain(asset.id);
    expect((await ps.call("DELETE", `/__admin/photoshelter/media/${asset.id}`)).status).toBe(404);
  });
});
