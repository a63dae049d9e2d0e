/**
 * Rate limits that fit their callers (issue 11, item 6), over real HTTP: signed media by the signed
 * user, not the address (people behind one NAT keep their own buckets); failed authentication per
 * client address, which X-Forwarded-For decides only when trustProxy says so; batch and ZIP items
 * counted against the caller's budget, so one user cannot spend the organization's PhotoShelter limit.
 */
import type { Asset, Page } from "../../contract/proxyApi";
import { ACCOUNTS, CASES } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { Stack, startStack } from "./proxyHarness";

const LITWARE = `account:${ACCOUNTS.litware}`;
const CASE = `incident:${CASES.damagedDelivery}`;

let stack: Stack;

afterEach(async () => {
  await stack?.close();
});

const firstAsset = async (record: string, token: string): Promise<Asset> => ((await (await stack.call(`/v1/search?record=${record}&perPage=1`, { token })).json()) as Page<Asset>).items[0];

describe("signed media", () => {
  it("are limited per signed user: one user's thumbnails never hold up another's behind the same address", async () => {
    stack = await startStack({ MEDIA_RATE_LIMIT_PER_MINUTE: "3" });
    const riley = await firstAsset(LITWARE, await stack.token(USERS.salesNorthAmerica.upn));
    const sam = await firstAsset(CASE, await stack.token(USERS.serviceAgent.upn));
    for (let i = 0; i < 3; i++) expect((await fetch(riley.thumbnailUrl)).status).toBe(200);
    const limited = await fetch(riley.thumbnailUrl);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toEqual({ error: { code: "rate_limited", message: expect.stringMatching(/try again in \d+ seconds/) } });
    // Same address (127.0.0.1), another signed user: a bucket of her own.
    expect((await fetch(sam.thumbnailUrl)).status).toBe(200);
  });
});

describe("failed authentication", () => {
  const badToken = "Bearer e30.e30.e30";

  it("is limited per client address; the address of the client behind a trusted proxy counts", async () => {
    stack = await startStack({ AUTH_FAILURES_PER_MINUTE: "3", PROXY_TRUST_PROXY: "127.0.0.1" });
    const riley = await stack.token(USERS.salesNorthAmerica.upn);
    const from = (address: string, authorization: string) => stack.call(`/v1/search?record=${LITWARE}&perPage=1`, { headers: { authorization, "x-forwarded-for": address } });
    for (let i = 0; i < 3; i++) expect((await from("203.0.113.7", badToken)).status).toBe(401);
    // That address is turned away now, even with a good token …
    const blocked = await from("203.0.113.7", `Bearer ${riley}`);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    // … while another client behind the same proxy is not.
    expect((await from("203.0.113.8", `Bearer ${riley}`)).status).toBe(200);
  });

  it("counts forged media signatures too", async () => {
    stack = await startStack({ AUTH_FAILURES_PER_MINUTE: "2" });
    const asset = await firstAsset(LITWARE, await stack.token(USERS.salesNorthAmerica.upn));
    const forged = asset.thumbnailUrl.replace(/sig=./, (match) => (match.endsWith("A") ? "sig=B" : "sig=A"));
    expect((await fetch(forged)).status).toBe(403);
    expect((await fetch(forged)).status).toBe(403);
    expect((await fetch(asset.thumbnailUrl)).status).toBe(429);
  });

  it("uses the connection's address when no proxy is trusted: X-Forwarded-For cannot dodge the limit", async () => {
    stack = await startStack({ AUTH_FAILURES_PER_MINUTE: "2" });
    const riley = await stack.token(USERS.salesNorthAmerica.upn);
    const from = (address: string, authorization: string) => stack.call(`/v1/search?record=${LITWARE}&perPage=1`, { headers: { authorization, "x-forwarded-for": address } });
    expect((await from("198.51.100.1", badToken)).status).toBe(401);
    expect((await from("198.51.100.2", badToken)).status).toBe(401);
    expect((await from("198.51.100.3", `Bearer ${riley}`)).status).toBe(429);
  });
});

describe("batch and ZIP items", () => {
  it("count against the caller's budget, and a call over it reaches no PhotoShelter", async () => {
    stack = await startStack({ RATE_LIMIT_PER_MINUTE: "10" });
    const riley = await stack.token(USERS.salesNorthAmerica.upn);
    const ids = stack.photoShelter.library.media.slice(0, 12).map((m) => m.id);
    const batch = (count: number) => stack.call(`/v1/assets/batch?record=${LITWARE}`, { token: riley, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ids: ids.slice(0, count) }) });
    expect((await batch(8)).status).toBe(200);
    const before = stack.admin.requests.count({ path: "/psapi/" });
    const over = await batch(3);
    expect(over.status).toBe(429);
    expect(stack.admin.requests.count({ path: "/psapi/" })).toBe(before);
    // Two units left of ten: two plain calls still fit, the next one does not.
    for (let i = 0; i < 2; i++) expect((await stack.call(`/v1/containers?record=${LITWARE}`, { token: riley })).status).toBe(200);
    expect((await stack.call(`/v1/containers?record=${LITWARE}`, { token: riley })).status).toBe(429);
    // Another user has a budget of his own.
    expect((await stack.call(`/v1/containers?record=${LITWARE}`, { token: await stack.token(USERS.admin.upn) })).status).toBe(200);
  });

  it("a ZIP of more assets than the whole budget passes only in an untouched window", async () => {
    stack = await startStack({ RATE_LIMIT_PER_MINUTE: "4" });
    const admin = await stack.token(USERS.admin.upn);
    // Five documents the record's segment shows (looked up by another user, whose budget this is not).
    const found = await stack.call(`/v1/search?record=${LITWARE}&mediaType=document&includeRestricted=true&perPage=5`, { token: await stack.token(USERS.salesNorthAmerica.upn) });
    const docs = ((await found.json()) as Page<Asset>).items.map((asset) => asset.id);
    expect(docs).toHaveLength(5);
    const zip = () => stack.call(`/v1/downloads/zip?record=${LITWARE}`, { token: admin, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ids: docs }) });
    const first = await zip();
    expect([first.status, (await first.arrayBuffer()).byteLength > 0]).toEqual([200, true]);
    expect((await zip()).status).toBe(429);
  });
});
