/**
 * The proxy's PhotoShelter reads do not depend on `include=custom_metadata,galleries`, which no real
 * client confirms: against a PhotoShelter that ignores it (the mock's strict mode) the proxy notices on
 * the first media read of the session, logs it once, reads the confirmed sub-resources instead, and
 * shows exactly the same assets, rights badges and visibility as when the include is answered.
 */
import type { Asset, BatchResponse, Container, Page } from "../../contract/proxyApi";
import { ACCOUNTS } from "../../mock-server/dataverse/demoData";
import { Stack, startStack } from "./proxyHarness";

const RILEY = "riley.rep@contoso.example";
const LITWARE = `account:${ACCOUNTS.litware}`;
const SUB_RESOURCES = ["iptc", "custom-metadata", "galleries"];

let lenient: Stack;
let strict: Stack;
beforeAll(async () => {
  [lenient, strict] = await Promise.all([startStack({}, 300), startStack({}, 300, { psStrictIncludes: true })]);
});
afterAll(() => Promise.all([lenient?.close(), strict?.close()]));

async function json<T>(stack: Stack, path: string): Promise<T> {
  const response = await stack.call(path, { token: await stack.token(RILEY) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** An asset without its per-stack links (signed for another host and port). */
const withoutLinks = ({ thumbnailUrl: _t, previewUrl: _p, photoShelterUrl: _u, ...asset }: Asset) => asset;

/** Sub-resource reads the proxy sent to PhotoShelter. */
const subResourceReads = (stack: Stack) => stack.admin.requests.list({ path: "/psapi/v4.0/media/" }).filter((r) => SUB_RESOURCES.some((s) => r.path.endsWith(`/${s}`)));
const includeWarnings = (stack: Stack) => stack.logs.filter((line) => line.includes("does not answer these includes"));

it("shows the same assets and rights badges whether or not PhotoShelter answers the include", async () => {
  for (const query of ["perPage=100&includeRestricted=true", "perPage=100&includeRestricted=true&page=2", "q=logo&includeRestricted=true&perPage=100", "rights=expired,expiring14,expiring30&includeRestricted=true&perPage=100", "perPage=50"]) {
    const [a, b] = await Promise.all([json<Page<Asset>>(lenient, `/v1/search?record=${LITWARE}&${query}`), json<Page<Asset>>(strict, `/v1/search?record=${LITWARE}&${query}`)]);
    expect(a.items.length).toBeGreaterThan(0);
    expect(b.items.map(withoutLinks)).toEqual(a.items.map(withoutLinks));
    expect({ total: b.total, hasMore: b.hasMore }).toEqual({ total: a.total, hasMore: a.hasMore });
  }
  const statuses = new Set((await json<Page<Asset>>(strict, `/v1/search?record=${LITWARE}&perPage=100&includeRestricted=true`)).items.map((asset) => asset.rights.status));
  expect(statuses.size).toBeGreaterThan(2);
  // Batch and single reads, visible and hidden ids alike.
  const library = lenient.photoShelter.library.media;
  const ids = library.slice(0, 120).map((m) => m.id);
  const batch = async (stack: Stack) => {
    const response = await stack.call(`/v1/assets/batch?record=${LITWARE}`, { method: "POST", token: await stack.token(RILEY), headers: { "content-type": "application/json" }, body: JSON.stringify({ ids }) });
    return (await response.json()) as BatchResponse;
  };
  const [x, y] = await Promise.all([batch(lenient), batch(strict)]);
  expect(x.items.length).toBeGreaterThan(0);
  expect(x.missing.length).toBeGreaterThan(0);
  expect(y.missing).toEqual(x.missing);
  expect(y.items.map(withoutLinks)).toEqual(x.items.map(withoutLinks));
  const one = x.items[0].id;
  expect(withoutLinks(await json<Asset>(strict, `/v1/assets/${one}?record=${LITWARE}`))).toEqual(withoutLinks(await json<Asset>(lenient, `/v1/assets/${one}?record=${LITWARE}`)));
});

it("reads sub-resources only where the include is not answered, and says so once", async () => {
  expect(lenient.proxy.services.library.mediaReads.supports("custom")).toBe("honoured");
  expect(lenient.proxy.services.library.mediaReads.supports("galleries")).toBe("honoured");
  expect(subResourceReads(lenient)).toEqual([]);
  expect(includeWarnings(lenient)).toEqual([]);

  const reads = strict.proxy.services.library.mediaReads;
  expect(reads.supports("custom")).toBe("ignored");
  expect(reads.supports("galleries")).toBe("ignored");
  // IPTC is a confirmed include name: the strict mock answers it, so it stays inline.
  expect(reads.supports("iptc")).toBe("honoured");
  expect(await reads.include()).toBe("iptc");
  const paths = subResourceReads(strict).map((r) => r.path.replace(/^\/psapi\/v4\.0\/media\/[^/]+\//, "/media/{id}/"));
  expect(new Set(paths)).toEqual(new Set(["/media/{id}/custom-metadata", "/media/{id}/galleries"]));
  // The galleries sub-resource is read as real clients read it.
  expect(subResourceReads(strict).find((r) => r.path.endsWith("/galleries"))!.query).toContain("include=gallery");
  const warnings = includeWarnings(strict);
  expect(warnings).toHaveLength(1);
  expect(JSON.parse(warnings[0])).toMatchObject({ level: 40, ignored: ["custom_metadata", "galleries"], reading: ["/media/{id}/custom-metadata", "/media/{id}/galleries"] });
  // Later searches no longer ask for what PhotoShelter ignores.
  strict.admin.requests.clear();
  await json<Page<Asset>>(strict, `/v1/search?record=${LITWARE}&q=factory&includeRestricted=true&perPage=20`);
  const search = strict.admin.requests.list({ path: "/psapi/v4.0/search" });
  expect(search).toHaveLength(1);
  expect(new URLSearchParams(search[0].query).get("include")).toBe("iptc");
});

it("shows the same collections and galleries, key images included, when include=key-image is not answered", async () => {
  const withoutKeyImageLink = ({ keyImageUrl, ...container }: Container) => ({ ...container, hasKeyImage: keyImageUrl !== null });
  lenient.admin.requests.clear();
  strict.admin.requests.clear();
  const top = await Promise.all([lenient, strict].map((stack) => json<Page<Container>>(stack, `/v1/containers?record=${LITWARE}`)));
  expect(top[0].items.length).toBeGreaterThan(1);
  expect(top[0].items.every((c) => c.keyImageUrl !== null)).toBe(true);
  expect(top[1].items.map(withoutKeyImageLink)).toEqual(top[0].items.map(withoutKeyImageLink));
  // Same key image: the signed URLs name the same asset.
  const assetOf = (url: string | null) => url && new URL(url).pathname;
  expect(top[1].items.map((c) => assetOf(c.keyImageUrl))).toEqual(top[0].items.map((c) => assetOf(c.keyImageUrl)));
  const keyImageReads = (stack: Stack) => stack.admin.requests.list({ path: "/psapi/v4.0/collections/" }).filter((r) => r.path.endsWith("/key-image"));
  expect(keyImageReads(lenient)).toEqual([]);
  expect(keyImageReads(strict).length).toBe(top[1].items.filter((c) => c.kind === "collection").length);
  const brand = top[0].items.find((c) => c.kind === "collection")!;
  const children = await Promise.all([lenient, strict].map((stack) => json<Page<Container>>(stack, `/v1/containers?record=${LITWARE}&parentId=${brand.id}`)));
  expect(children[1].items.map(withoutKeyImageLink)).toEqual(children[0].items.map(withoutKeyImageLink));
});

it("answers a repeated page from the cache: no PhotoShelter call, the same assets", async () => {
  const path = `/v1/search?record=${LITWARE}&q=hospital&includeRestricted=true&perPage=30`;
  const first = await json<Page<Asset>>(strict, path);
  strict.admin.requests.clear();
  const second = await json<Page<Asset>>(strict, path);
  expect(strict.admin.requests.count({ path: "/psapi/" })).toBe(0);
  expect(second.items.map(withoutLinks)).toEqual(first.items.map(withoutLinks));
});

it("verifies the includes again in a new PhotoShelter session, and picks up a PhotoShelter that starts answering them", async () => {
  const services = strict.proxy.services;
  services.session.invalidate(await services.session.headers());
  strict.photoShelter.strictIncludes = false;
  services.library.client.cache.clear();
  strict.admin.requests.clear();
  const after = await json<Page<Asset>>(strict, `/v1/search?record=${LITWARE}&q=store&includeRestricted=true&perPage=20`);
  expect(after.items.length).toBeGreaterThan(0);
  expect(new URLSearchParams(strict.admin.requests.list({ path: "/psapi/v4.0/search" })[0].query).get("include")).toBe("iptc,custom_metadata,galleries");
  expect(services.library.mediaReads.supports("custom")).toBe("honoured");
  expect(subResourceReads(strict)).toEqual([]);
  // The warning is not repeated.
  expect(includeWarnings(strict)).toHaveLength(1);
  const same = await json<Page<Asset>>(lenient, `/v1/search?record=${LITWARE}&q=store&includeRestricted=true&perPage=20`);
  expect(after.items.map(withoutLinks)).toEqual(same.items.map(withoutLinks));
});
