/**
 * The proxy's API end to end: mock PhotoShelter, mock Dataverse and the mock issuer in-process,
 * the proxy in front, real HTTP. Who sees what follows the seeded access rules: Riley (North America
 * sales) on Litware Health (healthcare, NA, strategic) sees Brand, North America, Healthcare and
 * Campaigns; Sam (customer service) on a case also sees that case's evidence gallery.
 */
import yauzl from "yauzl";
import { rightsStatus } from "../../contract/rights";
import type { Asset, AssetPage, Container, Page } from "../../contract/proxyApi";
import { ACCOUNTS, CASES } from "../../mock-server/dataverse/demoData";
import { demoId } from "../../mock-server/dataverse/demoData/ids";
import { MOCK_DEFAULTS } from "../../mock-server/config";
import { accessRule } from "../../solution/model";
import { imageSize } from "../../mock-server/photoshelter/library";
import { COLLECTIONS } from "../../mock-server/photoshelter/wellKnown";
import { MediaSigner } from "../../proxy/src/media/signing";
import { ORIGIN, Stack, startStack } from "./proxyHarness";

const RILEY = "riley.rep@contoso.example";
const SAM = "sam.service@contoso.example";
const LITWARE = `account:${ACCOUNTS.litware}`;
const CASE = `incident:${CASES.damagedDelivery}`;
const UPLOAD_MAX = 200_000;
const POLICY_TTL_MS = 400;

let stack: Stack;
let riley: string;
let visibleGalleries: Set<string>;

beforeAll(async () => {
  stack = await startStack({ UPLOAD_MAX_BYTES: String(UPLOAD_MAX), UPLOAD_ALLOWED_TYPES: "image/png,image/jpeg", POLICY_TTL_MS: String(POLICY_TTL_MS) });
  riley = await stack.token(RILEY);
  const library = stack.photoShelter.library;
  const roots = [COLLECTIONS.brand, COLLECTIONS.regionNorthAmerica, COLLECTIONS.industryHealthcare, COLLECTIONS.campaigns];
  visibleGalleries = new Set(roots.flatMap((id) => library.galleriesUnder(id).map((g) => g.id)));
});

afterAll(() => stack.close());

const json = async <T>(response: Response, status = 200): Promise<T> => {
  const body = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${body}`);
  return JSON.parse(body) as T;
};

const media = () => stack.photoShelter.library.media;
const visibleMedia = () => media().filter((m) => m.galleryIds.some((g) => visibleGalleries.has(g)));
const hiddenMedia = () => media().filter((m) => m.galleryIds.every((g) => !visibleGalleries.has(g)));

async function zipEntries(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, file) => (error ? reject(error) : resolve(file!))));
  const entries = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) =>
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream!.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream!.on("end", () => {
          entries.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      }),
    );
    zip.on("end", resolve);
    zip.on("error", reject);
    zip.readEntry();
  });
  return entries;
}

describe("browse", () => {
  it("lists the record's segment at the top level, with counts and a signed key image", async () => {
    const page = await json<Page<Container>>(await stack.call(`/v1/containers?record=${LITWARE}`, { token: riley }));
    expect(page.items.map((c) => c.name)).toEqual(["Brand", "Campaigns", "Healthcare", "North America"]);
    const brand = page.items.find((c) => c.id === COLLECTIONS.brand)!;
    expect(brand).toMatchObject({ kind: "collection", parentId: null, childCount: 2, mediaCount: 0 });
    const key = await fetch(brand.keyImageUrl!);
    expect(key.status).toBe(200);
    expect(key.headers.get("content-type")).toBe("image/jpeg");
  });

  it("lists children of a visible collection and hides the rest as not found", async () => {
    const brand = await json<Page<Container>>(await stack.call(`/v1/containers?record=${LITWARE}&parentId=${COLLECTIONS.brand}`, { token: riley }));
    expect(brand.items.map((c) => c.name)).toEqual(["Logos", "Product Imagery"]);
    const logos = await json<Page<Container>>(await stack.call(`/v1/containers?record=${LITWARE}&parentId=${COLLECTIONS.brandLogos}&perPage=1`, { token: riley }));
    expect(logos).toMatchObject({ page: 1, perPage: 1, total: stack.photoShelter.library.children(COLLECTIONS.brandLogos).length, hasMore: true });
    expect(logos.items[0]).toMatchObject({ kind: "gallery", parentId: COLLECTIONS.brandLogos });
    expect(logos.items[0].mediaCount).toBe(stack.photoShelter.library.get(logos.items[0].id)!.media.length);
    const emea = await stack.call(`/v1/containers?record=${LITWARE}&parentId=${COLLECTIONS.regionEmea}`, { token: riley });
    expect(emea.status).toBe(404);
    expect(await emea.json()).toEqual({ error: { code: "not_found", message: "Collection or gallery not found" } });
  });
});

describe("access rules", () => {
  /** PATCHes an access rule through the mock Dataverse Web API, as an admin would. */
  async function setRuleContainers(ruleId: string, containerIds: string): Promise<void> {
    const form = new URLSearchParams({ grant_type: "client_credentials", client_id: MOCK_DEFAULTS.clientId, client_secret: MOCK_DEFAULTS.clientSecret, scope: `${stack.mock.url}/.default` });
    const { access_token } = (await (await fetch(`${stack.mock.url}/issuer/token`, { method: "POST", body: form })).json()) as { access_token: string };
    const response = await fetch(`${stack.mock.url}/api/data/v9.2/${accessRule.entitySetName}(${ruleId})`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
      body: JSON.stringify({ [accessRule.columns.containerIds.logicalName]: containerIds }),
    });
    expect(response.status).toBe(204);
  }

  /** Asks again until the answer has `status`; fails after a deadline far above the policy cache time. */
  async function untilStatus(path: string, status: number): Promise<void> {
    const deadline = Date.now() + POLICY_TTL_MS + 30_000;
    for (;;) {
      const answer = (await stack.call(path, { token: riley })).status;
      if (answer === status) return;
      if (Date.now() > deadline) throw new Error(`${path} still answers ${answer}, not ${status}`);
      await new Promise((resolve) => setTimeout(resolve, POLICY_TTL_MS / 8));
    }
  }

  it("applies a rule change within the policy cache time", async () => {
    const northAmericaRule = demoId("accessrule", 2);
    const emea = `/v1/containers?record=${LITWARE}&parentId=${COLLECTIONS.regionEmea}`;
    expect((await stack.call(emea, { token: riley })).status).toBe(404);
    await setRuleContainers(northAmericaRule, `${COLLECTIONS.regionNorthAmerica}, ${COLLECTIONS.regionEmea}`);
    try {
      // Once the cached rules expire the change applies: poll for it (the deadline only stops a broken run).
      await untilStatus(emea, 200);
    } finally {
      await setRuleContainers(northAmericaRule, COLLECTIONS.regionNorthAmerica);
    }
    await untilStatus(emea, 404);
  });

  it("grants a partner's gallery only while the grant is active", async () => {
    const partnerManager = await stack.token("parker.partner@contoso.example");
    const northwind = await json<Page<Container>>(await stack.call(`/v1/containers?record=account:${ACCOUNTS.northwind}`, { token: partnerManager }));
    expect(northwind.items.map((c) => c.id)).toContain("G000000000000501");
    const adventureWorks = await json<Page<Container>>(await stack.call(`/v1/containers?record=account:${ACCOUNTS.adventureWorks}`, { token: partnerManager }));
    expect(adventureWorks.items.map((c) => c.id)).not.toContain("G000000000000502");
  });
});

describe("search", () => {
  it("returns only assets of the segment and leaves out expired, restricted and retired ones", async () => {
    const page = await json<Page<Asset>>(await stack.call(`/v1/search?record=${LITWARE}&perPage=100`, { token: riley }));
    expect(page.items.length).toBeGreaterThan(10);
    const ids = new Set(visibleMedia().map((m) => m.id));
    for (const asset of page.items) {
      expect(ids.has(asset.id)).toBe(true);
      expect(["expired", "restricted", "retired"]).not.toContain(asset.rights.status);
    }
    const all = await json<Page<Asset>>(await stack.call(`/v1/search?record=${LITWARE}&perPage=100&includeRestricted=true`, { token: riley }));
    expect(all.items.some((a) => ["expired", "restricted", "retired"].includes(a.rights.status))).toBe(true);
    expect(all.total).toBe(visibleMedia().length);
  });

  it("says how many matches the rights filter hid on each page, so the exact count can be told", async () => {
    const pages = async (query: string, perPage: number) => {
      const all: AssetPage[] = [];
      for (let page = 1, more = true; more; page += 1) {
        const part = await json<AssetPage>(await stack.call(`/v1/search?record=${LITWARE}&perPage=${perPage}&page=${page}${query}`, { token: riley }));
        all.push(part);
        more = part.hasMore;
      }
      return all;
    };
    const everything = (await pages("&includeRestricted=true", 100)).flatMap((page) => page.items);
    const unusable = everything.filter((asset) => ["expired", "restricted", "retired"].includes(asset.rights.status)).length;
    expect(unusable).toBeGreaterThan(0);
    const filtered = await pages("", 7);
    expect(filtered.length).toBeGreaterThan(2);
    for (const [index, part] of filtered.entries()) {
      expect(part.total).toBe(everything.length);
      // Each page holds perPage − hidden items (the last one what is left).
      expect(part.items.length + part.hidden).toBe(Math.min(7, part.total - index * 7));
    }
    const hidden = filtered.reduce((sum, part) => sum + part.hidden, 0);
    const shown = filtered.reduce((sum, part) => sum + part.items.length, 0);
    expect([hidden, shown]).toEqual([unusable, everything.length - unusable]);
  });

  it("filters by terms, media type, rights, orientation, dates and scope, and sorts", async () => {
    const logos = await json<Page<Asset>>(await stack.call(`/v1/search?record=${LITWARE}&q=logo&includeRestricted=true&perPage=100`, { token: riley }));
    expect(logos.items.length).toBeGreaterThan(0);
    for (const asset of logos.items) expect(`${asset.fileName} ${asset.caption} ${asset.keywords.join(" ")}`.toLowerCase()).toContain("logo");

    const docs = await json<Page<Asset>>(await stack.call(`/v1/search?record=${LITWARE}&mediaType=document&includeRestricted=true&perPage=100`, { token: riley }));
    expect(docs.items.length).toBeGreaterThan(0);
    expect(docs.items.every((a) => a.mediaType === "document")).toBe(true);

    const expired = await json<Page<Asset>>(await stack.call(`/v1/search?record=${LITWARE}&rights=expired&includeRestricted=true&perPage=100`, { token: riley }));
    expect(expired.items.length).toBeGreaterThan(0);
    expect(expired.items.every((a) => a.rights.status === "expired")).toBe(true);

    const portrait = await json<Page<Asset>>(await stack.call(`/v1/search?record=${LITWARE}&orientation=portrait&perPage=100`, { token: riley }));
    expect(portrait.items.every((a) => a.orientation === "portrait")).toBe(true);

    const scoped = await json<Page<Asset>>(await stack.call(`/v1/search?record=${LITWARE}&containerId=${COLLECTIONS.brandLogos}&includeRestricted=true&sort=name&perPage=100`, { token: riley }));
    const logoGalleries = new Set(stack.photoShelter.library.galleriesUnder(COLLECTIONS.brandLogos).map((g) => g.id));
    expect(scoped.items.length).toBeGreaterThan(0);
    for (const asset of scoped.items) expect(media().find((m) => m.id === asset.id)!.galleryIds.some((g) => logoGalleries.has(g))).toBe(true);
    const names = scoped.items.map((a) => a.fileName);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));

    const in2023 = await json<Page<Asset>>(await stack.call(`/v1/search?record=${LITWARE}&from=2023-01-01&to=2023-12-31&includeRestricted=true&perPage=100`, { token: riley }));
    expect(in2023.items.length).toBeGreaterThan(0);
    expect(in2023.items.every((a) => a.createdOn.startsWith("2023-"))).toBe(true);
    expect(in2023.total).toBe(visibleMedia().filter((m) => new Date(m.createdAt).getUTCFullYear() === 2023).length);

    const newest = await json<Page<Asset>>(await stack.call(`/v1/search?record=${LITWARE}&sort=newest&includeRestricted=true&perPage=20`, { token: riley }));
    const created = newest.items.map((a) => a.createdOn);
    expect(created).toEqual([...created].sort().reverse());
  });

  it("answers 404 for a scope outside the segment and 400 for bad input", async () => {
    expect((await stack.call(`/v1/search?record=${LITWARE}&containerId=${COLLECTIONS.regionEmea}`, { token: riley })).status).toBe(404);
    const bad = await stack.call(`/v1/search?record=${LITWARE}&perPage=1000`, { token: riley });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
    expect((await stack.call(`/v1/search?record=account:not-a-guid`, { token: riley })).status).toBe(400);
    expect((await stack.call(`/v1/search?record=systemuser:${ACCOUNTS.litware}`, { token: riley })).status).toBe(400);
    expect((await stack.call(`/v1/search?record=account:00000000-0000-4000-8000-00000000dead`, { token: riley })).status).toBe(404);
  });
});

describe("assets", () => {
  it("returns the normalized asset with its computed rights status", async () => {
    const source = visibleMedia()[0];
    const asset = await json<Asset>(await stack.call(`/v1/assets/${source.id}?record=${LITWARE}`, { token: riley }));
    expect(asset).toMatchObject({
      id: source.id,
      mediaType: source.type,
      fileName: source.fileName,
      width: source.width,
      height: source.height,
      caption: source.caption,
      credit: source.credit,
      copyright: source.copyright,
      keywords: source.keywords,
      usageRights: source.custom.usageRights,
      releases: { model: source.modelReleased, property: source.propertyReleased },
      approvalStatus: source.custom.approvalStatus,
      expiresOn: source.custom.licenseExpirationDate,
      version: source.custom.assetVersion,
      productLine: source.custom.productLine,
      region: source.custom.region,
      industry: source.custom.industry,
      tier: source.custom.tier,
      createdOn: new Date(Math.floor(source.createdAt / 1000) * 1000).toISOString(),
    });
    expect(asset.rights).toEqual(rightsStatus({ approvalStatus: source.custom.approvalStatus, expiresOn: source.custom.licenseExpirationDate, usageRights: source.custom.usageRights }, new Date()));
    expect(asset.thumbnailUrl.startsWith(`${stack.proxy.url}/v1/media/${source.id}/thumb?`)).toBe(true);
    expect(asset.previewUrl.startsWith(`${stack.proxy.url}/v1/media/${source.id}/preview?`)).toBe(true);
  });

  it("answers a crafted id from another segment exactly like an unknown id", async () => {
    const hidden = hiddenMedia()[0];
    const crafted = await stack.call(`/v1/assets/${hidden.id}?record=${LITWARE}`, { token: riley });
    const unknown = await stack.call(`/v1/assets/I000009999999999?record=${LITWARE}`, { token: riley });
    expect(crafted.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await crafted.json()).toEqual(await unknown.json());
    expect((await stack.call(`/v1/assets/${hidden.id}/download?record=${LITWARE}`, { token: riley })).status).toBe(404);
  });

  it("gets many assets in one call, in order, reporting unknown and hidden ids as missing", async () => {
    const visible = visibleMedia().slice(0, 5).map((m) => m.id);
    const hidden = hiddenMedia()[0].id;
    const ids = [visible[0], hidden, visible[1], "I000009999999999", ...visible.slice(2), visible[0]];
    const body = await json<{ items: Asset[]; missing: string[] }>(
      await stack.call(`/v1/assets/batch?record=${LITWARE}`, { token: riley, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ids }) }),
    );
    expect(body.items.map((a) => a.id)).toEqual(visible);
    expect(body.missing).toEqual([hidden, "I000009999999999"]);
    const tooMany = await stack.call(`/v1/assets/batch?record=${LITWARE}`, { token: riley, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ids: Array(501).fill(visible[0]) }) });
    expect(tooMany.status).toBe(400);
  });
});

describe("signed media URLs", () => {
  let asset: Asset;
  beforeAll(async () => {
    asset = await json<Asset>(await stack.call(`/v1/assets/${visibleMedia()[1].id}?record=${LITWARE}`, { token: riley }));
  });

  it("serve the rendition without a bearer token, privately cacheable until they expire", async () => {
    const response = await fetch(asset.thumbnailUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/jpeg");
    expect(response.headers.get("cache-control")).toMatch(/^private, max-age=\d+, immutable$/);
    expect(imageSize(Buffer.from(await response.arrayBuffer()))).toEqual({ width: 400, height: 400 });
  });

  it("refuse a changed signature, asset, size or user", async () => {
    const url = new URL(asset.thumbnailUrl);
    const sig = url.searchParams.get("sig")!;
    const variants = [
      asset.thumbnailUrl.replace(`sig=${sig}`, `sig=${sig.startsWith("A") ? "B" : "A"}${sig.slice(1)}`),
      asset.thumbnailUrl.replace("/thumb?", "/preview?"),
      asset.thumbnailUrl.replace(asset.id, visibleMedia()[2].id),
      asset.thumbnailUrl.replace(/u=[^&]+/, "u=someoneelse00000"),
      asset.thumbnailUrl.replace(/exp=(\d+)/, (_m, exp: string) => `exp=${Number(exp) + 3600}`),
    ];
    for (const variant of variants) {
      const response = await fetch(variant);
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: { code: "forbidden", message: "The media link is not valid" } });
    }
  });

  it("refuse an expired link", async () => {
    const { secret, ttlSeconds } = stack.proxy.services.config.media;
    const past = new MediaSigner(secret, ttlSeconds, () => Date.now() - 3 * ttlSeconds * 1000);
    const user = new URL(asset.thumbnailUrl).searchParams.get("u")!;
    const response = await fetch(`${stack.proxy.url}/v1/media/${asset.id}/thumb?${past.sign(asset.id, "thumb", user)}`);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
  });
});

describe("downloads", () => {
  it("streams one asset as an attachment and counts it", async () => {
    // The smallest image: the mock renders originals on request, and test time matters.
    const source = visibleMedia().filter((m) => m.type === "image").sort((a, b) => a.width! * a.height! - b.width! * b.height!)[0];
    const before = await stack.proxy.services.usage.count();
    const response = await stack.call(`/v1/assets/${source.id}/download?record=${LITWARE}`, { token: riley });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain(`filename="${source.fileName}"`);
    expect(Buffer.from(await response.arrayBuffer()).equals(stack.photoShelter.files.original(source).bytes)).toBe(true);
    expect(await stack.proxy.services.usage.count()).toBe(before + 1);
    const medium = await stack.call(`/v1/assets/${source.id}/download?record=${LITWARE}&size=medium`, { token: riley });
    const size = imageSize(Buffer.from(await medium.arrayBuffer()))!;
    expect(Math.max(size.width, size.height)).toBe(Math.min(1200, Math.max(source.width!, source.height!)));
    expect(medium.headers.get("content-type")).toBe("image/jpeg");
  });

  it("streams several assets as one ZIP with the original bytes under unique names", async () => {
    // Documents, audio and video: their originals are cheap for the mock to produce.
    const sources = visibleMedia().filter((m) => m.type !== "image").slice(0, 4);
    expect(new Set(sources.map((m) => m.type)).size).toBeGreaterThan(1);
    const before = await stack.proxy.services.usage.count();
    const response = await stack.call(`/v1/downloads/zip?record=${LITWARE}`, { token: riley, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ids: sources.map((m) => m.id) }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const entries = await zipEntries(Buffer.from(await response.arrayBuffer()));
    expect([...entries.keys()].sort()).toEqual(sources.map((m) => m.fileName).sort());
    for (const source of sources) expect(entries.get(source.fileName)!.equals(stack.photoShelter.files.original(source).bytes)).toBe(true);
    expect(await stack.proxy.services.usage.count()).toBe(before + sources.length);
  });

  it("refuses a ZIP that names an asset outside the segment, counting nothing", async () => {
    const before = await stack.proxy.services.usage.count();
    const ids = [visibleMedia()[0].id, hiddenMedia()[0].id];
    const response = await stack.call(`/v1/downloads/zip?record=${LITWARE}`, { token: riley, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ids }) });
    expect(response.status).toBe(404);
    expect(await stack.proxy.services.usage.count()).toBe(before);
  });
});

describe("uploads", () => {
  let sam: string;
  beforeAll(async () => {
    sam = await stack.token(SAM);
  });

  const png = () => stack.photoShelter.files.picture(media()[0], 64, 48).bytes;
  const form = (bytes: Buffer, type: string, name = "damage.png") => {
    const data = new FormData();
    data.set("caption", "Dented corner on arrival");
    data.set("file", new Blob([new Uint8Array(bytes)], { type }), name);
    return data;
  };

  it("stores the file in the case's evidence gallery, created on first use, and returns the asset", async () => {
    const response = await stack.call(`/v1/uploads?record=${CASE}`, { token: sam, method: "POST", body: form(png(), "image/png") });
    const asset = await json<Asset>(response, 201);
    expect(asset).toMatchObject({ fileName: "damage.png", mediaType: "image", width: 64, height: 48, caption: "Dented corner on arrival" });
    const library = stack.photoShelter.library;
    const stored = library.mediaById(asset.id)!;
    const gallery = library.get(stored.galleryIds[0])!;
    expect(gallery.parentIds).toEqual([COLLECTIONS.caseEvidence]);
    expect(gallery.name).toBe(`Case ${CASES.damagedDelivery}`);
    expect(stored.bytes!.equals(png())).toBe(true);

    const second = await json<Asset>(await stack.call(`/v1/uploads?record=${CASE}`, { token: sam, method: "POST", body: form(png(), "image/png", "second.png") }), 201);
    expect(library.mediaById(second.id)!.galleryIds).toEqual([gallery.id]);
    expect((await stack.call(`/v1/assets/${second.id}?record=${CASE}`, { token: sam })).status).toBe(200);
  });

  it("refuses records without an upload gallery, disallowed types and files over the limit, storing nothing", async () => {
    const count = media().length;
    const onAccount = await stack.call(`/v1/uploads?record=${LITWARE}`, { token: riley, method: "POST", body: form(png(), "image/png") });
    expect(onAccount.status).toBe(400);
    const exe = await stack.call(`/v1/uploads?record=${CASE}`, { token: sam, method: "POST", body: form(Buffer.from("MZ"), "application/x-msdownload", "tool.exe") });
    expect(exe.status).toBe(415);
    expect(((await exe.json()) as { error: { code: string } }).error.code).toBe("unsupported_media_type");
    const big = await stack.call(`/v1/uploads?record=${CASE}`, { token: sam, method: "POST", body: form(Buffer.alloc(UPLOAD_MAX + 1000, 1), "image/png") });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
    expect(media().length).toBe(count);
  });
});

describe("service endpoints", () => {
  it("publishes OpenAPI generated from the schemas", async () => {
    const doc = await json<{ openapi: string; paths: Record<string, Record<string, { parameters: Array<{ name: string }> }>> }>(await stack.call("/v1/openapi.json"));
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(
      ["/hooks/dataverse", "/v1/admin/events", "/v1/admin/events/{id}/retry", "/v1/admin/jobs", "/v1/admin/jobs/{name}/run", "/v1/admin/readiness", "/v1/assets/batch", "/v1/assets/{id}", "/v1/assets/{id}/download", "/v1/collection", "/v1/collection/additions", "/v1/config", "/v1/containers", "/v1/downloads/zip", "/v1/media/{id}/{size}", "/v1/openapi.json", "/v1/search", "/v1/session", "/v1/suggestions", "/v1/uploads"].sort(),
    );
    expect(doc.paths["/v1/search"].get.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(["record", "q", "mediaType", "rights", "includeRestricted", "sort"]));
  });

  it("tells the control how to sign in", async () => {
    const config = await json<{ signIn: { kind: string }; upload: { maxBytes: number } }>(await stack.call("/v1/config"));
    // Through Dataverse unless the deployment asks for Entra ID or the mock issuer (SIGN_IN_MODE).
    expect(config.signIn).toEqual({ kind: "dataverse" });
    expect(config.upload.maxBytes).toBe(UPLOAD_MAX);
  });

  it("reports health and readiness, and tags every answer with a request id", async () => {
    const health = await stack.call("/healthz", { headers: { "x-request-id": "trace-1234" } });
    expect(health.headers.get("x-request-id")).toBe("trace-1234");
    expect(await json(health)).toEqual({ status: "ok" });
    expect((await stack.call("/healthz")).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    // The mock org here has no webhook endpoint: reported, and ready all the same (proxyWebhookEndpoint.test.ts has the rest).
    expect(await json(await stack.call("/readyz"))).toEqual({ status: "ready", checks: { photoShelter: "ok", dataverse: "ok", issuer: "ok", state: "ok" }, webhook: { status: "attention" } });
  });

  it("allows CORS only for the configured origins", async () => {
    const preflight = (origin: string) => stack.call(`/v1/search?record=${LITWARE}`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "authorization" } });
    const allowed = await preflight(ORIGIN);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(allowed.headers.get("access-control-allow-headers")).toContain("authorization");
    const evil = await preflight("https://evil.example.com");
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    const get = await stack.call(`/v1/search?record=${LITWARE}&perPage=1`, { token: riley, headers: { origin: ORIGIN } });
    expect(get.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(get.headers.get("access-control-expose-headers")).toContain("content-disposition");
  });
});
