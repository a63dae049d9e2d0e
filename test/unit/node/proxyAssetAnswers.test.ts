/** AssetAnswers: assets prepared once per asset and day, links signed once per user and window, JSON as the schema's serializer writes it. */
import Fastify from "fastify";
import { AssetPage, BatchResponse } from "../../../contract/proxyApi";
import { AssetAnswers, assetJson, assetPageJson, batchJson } from "../../../proxy/src/http/assetAnswers";
import { sameJson } from "../../../proxy/src/photoshelter/canonicalMedia";
import { MediaSigner } from "../../../proxy/src/media/signing";
import type { LoadedAsset } from "../../../proxy/src/photoshelter/mediaReads";
import { attributesOf } from "../../../proxy/src/photoshelter/normalize";

const SECRET = Buffer.from("unit-test-media-secret-not-a-secret");
const TTL_SECONDS = 600;
const today = new Date("2026-11-28T12:00:00Z");
const riley = { systemUserId: "u-riley", objectId: "o-riley", fullName: "Riley", businessUnitId: null, interactive: true };
const emma = { systemUserId: "u-emma", objectId: "o-emma", fullName: "Emma", businessUnitId: null, interactive: true };

/** A media item as PhotoShelter sends it (parsed anew each time, as every upstream answer is). */
function media(id: string, custom: Record<string, string | null> = {}, caption = "Hero \"shot\" — naïve\u0007 ✓") {
  return JSON.parse(
    JSON.stringify({
      id,
      type: "image",
      attributes: { file_name: `${id}.png`, width: 1600, height: 1200, created_at: "2024-05-06 07:08:09 GMT", views: 3 },
      iptc: { data: { attributes: { caption, credit: "Ana", keywords: "hero, studio" } } },
      custom: { data: { attributes: { custom_metadata: Object.entries({ "Approval Status": "approved", "License Expiration Date": "2026-12-01", ...custom }).map(([name, value]) => ({ name, value })) } } },
    }),
  ) as { id: string; type: string; attributes: Record<string, unknown>; iptc: unknown; custom: unknown };
}

const loaded = (m: ReturnType<typeof media>): LoadedAsset => ({ media: { id: m.id, type: m.type, attributes: m.attributes }, iptc: attributesOf(m.iptc), custom: attributesOf(m.custom), galleryIds: ["G000000000000101"] });

function setup(now = () => today.getTime()) {
  const signer = new MediaSigner(SECRET, TTL_SECONDS, now);
  return { signer, answers: new AssetAnswers(signer, () => "https://proxy.example", (id) => `https://ps.example/img-show/${id}`) };
}

/** What Fastify's response serializer (the schema's) writes for a value, over HTTP on a free port. */
async function serialized(schema: object, value: unknown): Promise<string> {
  const app = Fastify();
  app.get("/", { schema: { response: { 200: schema } } }, async () => value);
  try {
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    return await (await fetch(url)).text();
  } finally {
    await app.close();
  }
}

describe("asset answers", () => {
  it("writes a page and a batch exactly as the schema's serializer would", async () => {
    const { answers } = setup();
    const assets = answers.forUser(riley, today);
    const items = [loaded(media("I000000000000001")), loaded(media("I000000000000002", { "Approval Status": null, Region: "EMEA" }, "line\nbreak \\ and \u2028"))];
    const objects = items.map((item) => assets.asset(item));
    const page = { page: 2, perPage: 20, total: 41, hasMore: true, hidden: 18 };
    expect(assetPageJson(items.map((item) => assets.json(item)), page).toString()).toBe(await serialized(AssetPage, { items: objects, ...page }));
    expect(batchJson(items.map((item) => assets.json(item)), ["I000000000000009"]).toString()).toBe(await serialized(BatchResponse, { items: objects, missing: ["I000000000000009"] }));
    expect(assetPageJson([], { page: 1, perPage: 50, total: 0, hasMore: false, hidden: 0 }).toString()).toBe(await serialized(AssetPage, { items: [], page: 1, perPage: 50, total: 0, hasMore: false, hidden: 0 }));
  });

  it("prepares an asset once while PhotoShelter sends it unchanged, and again when a part changes or the day moves on", () => {
    const { answers } = setup();
    const assets = answers.forUser(riley, today);
    const first = assets.fields(loaded(media("I000000000000001")));
    expect(first.rights.status).toBe("expiring14");
    // The same asset in a later answer (new objects): nothing is normalized again.
    expect(assets.fields(loaded(media("I000000000000001")))).toBe(first);
    // A changed custom value is seen at once.
    const rejected = assets.fields(loaded(media("I000000000000001", { "Approval Status": "rejected" })));
    expect(rejected).not.toBe(first);
    expect(rejected.rights.status).toBe("restricted");
    // Any attribute counts, even one the fields do not show.
    const viewed = loaded(media("I000000000000001", { "Approval Status": "rejected" }));
    viewed.media.attributes!.views = 4;
    expect(assets.fields(viewed)).not.toBe(rejected);
    expect(assets.fields(viewed)).toEqual(rejected);
    // Rights depend on the day: past the expiry date the same asset is expired.
    expect(answers.forUser(riley, new Date("2026-12-02T00:00:01Z")).fields(loaded(media("I000000000000001"))).rights.status).toBe("expired");
  });

  it("signs each user's links to an asset, valid for the signer, and the object and JSON forms agree", () => {
    const { answers, signer } = setup();
    const item = loaded(media("I000000000000003"));
    const rileys = answers.forUser(riley, today).asset(item);
    const emmas = answers.forUser(emma, today).asset(item);
    expect(rileys.thumbnailUrl).not.toBe(emmas.thumbnailUrl);
    for (const [asset, user] of [[rileys, riley], [emmas, emma]] as const) {
      expect(JSON.parse(assetJson(answers.forUser(user, today).json(item)).toString())).toEqual(asset);
      for (const [url, size] of [[asset.thumbnailUrl, "thumb"], [asset.previewUrl, "preview"]] as const) {
        const parsed = new URL(url);
        expect(parsed.origin + parsed.pathname).toBe(`https://proxy.example/v1/media/I000000000000003/${size}`);
        const q = parsed.searchParams;
        expect(q.get("u")).toBe(signer.userKey(user.systemUserId));
        expect(signer.verify({ id: "I000000000000003", size, user: q.get("u")!, exp: Number(q.get("exp")) }, q.get("sig")!)).toBe("ok");
      }
      expect(asset.photoShelterUrl).toBe("https://ps.example/img-show/I000000000000003");
    }
  });

  it("compares parsed JSON values member by member, in any order", () => {
    const parsed = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
    const value = { a: 1, b: [1, "x", null, { c: true }], d: { e: "f" }, g: null };
    expect(sameJson(parsed(value), parsed(value))).toBe(true);
    expect(sameJson(parsed(value), parsed({ g: null, d: { e: "f" }, b: [1, "x", null, { c: true }], a: 1 }))).toBe(true);
    for (const other of [{ ...value, a: 2 }, { ...value, h: 1 }, { a: 1, b: value.b, d: value.d }, { ...value, b: [1, "x", null] }, { ...value, b: { 0: 1, 1: "x", 2: null, 3: { c: true } } }, { ...value, g: 0 }, { ...value, d: { e: "f", f: null } }]) {
      expect(sameJson(parsed(value), parsed(other))).toBe(false);
      expect(sameJson(parsed(other), parsed(value))).toBe(false);
    }
    expect(sameJson(null, {})).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson("1", 1)).toBe(false);
  });

  it("signs links again once the expiry window moves on", () => {
    let now = today.getTime();
    const { answers } = setup(() => now);
    const item = loaded(media("I000000000000004"));
    const before = answers.forUser(riley, today).asset(item).thumbnailUrl;
    expect(answers.forUser(riley, today).asset(item).thumbnailUrl).toBe(before);
    now += TTL_SECONDS * 1000;
    const after = answers.forUser(riley, today).asset(item).thumbnailUrl;
    expect(Number(new URL(after).searchParams.get("exp"))).toBe(Number(new URL(before).searchParams.get("exp")) + TTL_SECONDS);
  });
});
