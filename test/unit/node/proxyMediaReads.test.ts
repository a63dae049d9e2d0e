/** MediaReads: confirmed sub-resources as the baseline, `include=` as an optimization verified per session. */
import pino from "pino";
import { Writable } from "node:stream";
import type { PsResource } from "../../../proxy/src/photoshelter/client";
import { KeyImages } from "../../../proxy/src/photoshelter/keyImages";
import { MediaReads, type MediaSource } from "../../../proxy/src/photoshelter/mediaReads";

const IPTC = { data: { id: "x", type: "iptc", attributes: { caption: "Caption", credit: "Ana" } } };
const CUSTOM = { data: { id: "x", type: "customMetadata", attributes: { custom_metadata: [{ name: "Approval Status", value: "approved" }] } } };
const GALLERIES = { data: [{ id: "G000000000000101", type: "gallery" }, { id: "G000000000000103", type: "gallery" }] };

const media = (id: string, includes?: PsResource["includes"], attributes: Record<string, unknown> = { file_name: `${id}.png`, created_at: "2024-01-02 03:04:05 GMT" }): PsResource => ({ id, type: "image", attributes, ...(includes ? { includes } : {}) });

/** A fake PhotoShelter behind the read cache: the same object for the same path, counted, with a settable delay. */
class FakeSource implements MediaSource {
  readonly calls: string[] = [];
  peek?: MediaSource["peek"];
  readonly answers = new Map<string, unknown>();
  inFlight = 0;
  maxInFlight = 0;
  delay = 0;
  async get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T | null> {
    const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString();
    this.calls.push(q ? `${path}?${q}` : path);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, this.delay));
    this.inFlight -= 1;
    if (!this.answers.has(path)) {
      if (path.endsWith("/iptc")) this.answers.set(path, IPTC);
      else if (path.endsWith("/custom-metadata")) this.answers.set(path, CUSTOM);
      else if (path.endsWith("/galleries")) this.answers.set(path, GALLERIES);
      else return null;
    }
    return this.answers.get(path) as T;
  }
}

function setup() {
  const lines: string[] = [];
  const log = pino({ level: "info" }, new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }));
  const session = { generation: 1, ready: async () => undefined };
  const source = new FakeSource();
  return { source, session, lines, reads: new MediaReads(source, session, log) };
}

it("asks for every include first and keeps asking while PhotoShelter answers them, reading no sub-resource", async () => {
  const { reads, source, lines } = setup();
  const include = await reads.include();
  expect(include).toBe("iptc,custom_metadata,galleries");
  const [asset] = await reads.complete([media("I0000000000000001", { iptc: IPTC, custom_metadata: CUSTOM, galleries: GALLERIES })], include);
  expect(asset.iptc).toEqual(IPTC.data.attributes);
  expect(asset.custom).toEqual(CUSTOM.data.attributes);
  expect(asset.galleryIds).toEqual(["G000000000000101", "G000000000000103"]);
  expect(source.calls).toEqual([]);
  expect(reads.supports("custom")).toBe("honoured");
  expect(await reads.include()).toBe("iptc,custom_metadata,galleries");
  expect(lines).toEqual([]);
});

it("switches to the sub-resources for ignored includes, logs once, and stops asking for them", async () => {
  const { reads, source, lines } = setup();
  const page = ["I0000000000000001", "I0000000000000002"].map((id) => media(id, { iptc: IPTC }));
  const assets = await reads.complete(page, await reads.include());
  expect(assets.map((a) => [a.custom, a.galleryIds])).toEqual([
    [CUSTOM.data.attributes, ["G000000000000101", "G000000000000103"]],
    [CUSTOM.data.attributes, ["G000000000000101", "G000000000000103"]],
  ]);
  expect(source.calls.sort()).toEqual([
    "/media/I0000000000000001/custom-metadata",
    "/media/I0000000000000001/galleries?include=gallery&per_page=100",
    "/media/I0000000000000002/custom-metadata",
    "/media/I0000000000000002/galleries?include=gallery&per_page=100",
  ]);
  expect(await reads.include()).toBe("iptc");
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0])).toMatchObject({ level: 40, ignored: ["custom_metadata", "galleries"] });
  // Another page: the same parts from the sub-resources, no second warning.
  await reads.complete([media("I0000000000000003", { iptc: IPTC })], await reads.include());
  expect(lines).toHaveLength(1);
});

it("settles nothing from a mixed or empty answer, but still fills every gap", async () => {
  const { reads, source } = setup();
  expect(await reads.complete([], await reads.include())).toEqual([]);
  const mixed = [media("I0000000000000001", { iptc: IPTC, custom_metadata: CUSTOM, galleries: GALLERIES }), media("I0000000000000002")];
  const assets = await reads.complete(mixed, await reads.include());
  expect(assets[1].custom).toEqual(CUSTOM.data.attributes);
  expect(assets[1].iptc).toEqual(IPTC.data.attributes);
  expect(reads.supports("custom")).toBe("unknown");
  expect(await reads.include()).toBe("iptc,custom_metadata,galleries");
  expect(source.calls.every((call) => call.startsWith("/media/I0000000000000002/"))).toBe(true);
});

it("reads the full media item for a thin search hit (id, type and file name only)", async () => {
  const { reads, source } = setup();
  const full = media("VD000000000000007", undefined, { file_name: "clip.mp4", created_at: "2024-01-02 03:04:05 GMT", width: 1920, height: 1080 });
  source.answers.set("/media/VD000000000000007", { data: full });
  const [asset] = await reads.complete([{ id: "VD000000000000007", type: "media", attributes: { file_name: "clip.mp4", type: "video" } }], undefined);
  expect(asset.media.attributes).toMatchObject({ width: 1920, height: 1080 });
  expect(source.calls).toContain("/media/VD000000000000007");
});

it("treats a missing sub-resource as no data, not as an error", async () => {
  const { reads, source } = setup();
  source.answers.set("/media/I0000000000000009/custom-metadata", null);
  const [asset] = await reads.complete([media("I0000000000000009")], undefined);
  expect(asset.custom).toBeNull();
  expect(asset.galleryIds).toEqual(["G000000000000101", "G000000000000103"]);
});

it("assembles an item once while its parts are unchanged, and again when one changes", async () => {
  const { reads, source } = setup();
  const item = media("I0000000000000001");
  const [first] = await reads.complete([item], undefined);
  const [again] = await reads.complete([item], undefined);
  expect(again).toBe(first);
  source.answers.set("/media/I0000000000000001/custom-metadata", { data: { attributes: { custom_metadata: [{ name: "Approval Status", value: "retired" }] } } });
  const [changed] = await reads.complete([item], undefined);
  expect(changed).not.toBe(first);
  // A new object for what is derived from it (the proxy normalizes per media object).
  expect(changed.media).not.toBe(first.media);
  expect(changed.custom).toEqual({ custom_metadata: [{ name: "Approval Status", value: "retired" }] });
  // Inline parts keep the resource itself.
  const inline = media("I0000000000000002", { iptc: IPTC, custom_metadata: CUSTOM, galleries: GALLERIES });
  expect((await reads.complete([inline], undefined))[0].media).toBe(inline);
});

it("assembles from parts the read cache holds fresh without reading or waiting", async () => {
  const { reads, source } = setup();
  // The read cache as the client's peek sees it: fresh answers by path (null: a cached 404), nothing for the rest.
  const cached = new Map<string, unknown>([
    ["/media/I0000000000000001/iptc", IPTC],
    ["/media/I0000000000000001/custom-metadata", null],
    ["/media/I0000000000000001/galleries?include=gallery&per_page=100", GALLERIES],
    ["/media/I0000000000000002/iptc", IPTC],
  ]);
  source.peek = <T>(path: string, query: Record<string, string | number | undefined> = {}) => {
    const q = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
    return cached.get(q ? `${path}?${q}` : path) as T | null | undefined;
  };
  const hit = media("I0000000000000001");
  const [first, second] = await reads.complete([hit, media("I0000000000000002")], undefined);
  // All parts cached: nothing read, a cached 404 is no data as when read.
  expect(first).toMatchObject({ iptc: IPTC.data.attributes, custom: null, galleryIds: ["G000000000000101", "G000000000000103"] });
  // A part not cached: the item is read as before (through the cached reads).
  expect(second.custom).toEqual(CUSTOM.data.attributes);
  expect(source.calls.sort()).toEqual(["/media/I0000000000000002/custom-metadata", "/media/I0000000000000002/galleries?include=gallery&per_page=100", "/media/I0000000000000002/iptc"]);
  // The same hit again, its parts still cached: the same asset, nothing read.
  expect((await reads.complete([hit], undefined))[0]).toBe(first);
  expect(source.calls).toHaveLength(3);
  // A changed part in the cache: assembled again.
  cached.set("/media/I0000000000000001/custom-metadata", CUSTOM);
  const [changed] = await reads.complete([hit], undefined);
  expect(changed).not.toBe(first);
  expect(changed.custom).toEqual(CUSTOM.data.attributes);
});

it("keeps at most 16 sub-resource reads in flight", async () => {
  const { reads, source } = setup();
  source.delay = 5;
  const page = Array.from({ length: 40 }, (_, i) => media(`I00000000000000${String(i).padStart(2, "0")}`));
  const assets = await reads.complete(page, undefined);
  expect(assets).toHaveLength(40);
  expect(source.calls).toHaveLength(120);
  expect(source.maxInFlight).toBe(16);
});

it("verifies again when the PhotoShelter session is renewed", async () => {
  const { reads, session } = setup();
  await reads.complete([media("I0000000000000001", { iptc: IPTC })], await reads.include());
  expect(await reads.include()).toBe("iptc");
  session.generation = 2;
  expect(await reads.include()).toBe("iptc,custom_metadata,galleries");
  expect(reads.supports("galleries")).toBe("unknown");
});

describe("KeyImages", () => {
  const container = (id: string, extra: Partial<PsResource> = {}): PsResource => ({ id, type: id.startsWith("G") ? "gallery" : "collection", attributes: { name: id }, ...extra });

  it("reads /key-image only for containers with neither the include nor key_image_id, and reuses the result", async () => {
    const source = new FakeSource();
    source.answers.set("/collections/C000000000000001/key-image", { data: { id: "I0000000000000042", type: "keyImage" } });
    const keyImages = new KeyImages(source);
    const inline = container("C000000000000002", { includes: { "key-image": { data: { id: "I0000000000000007" } } } });
    const attribute = container("G000000000000101", { attributes: { name: "g", key_image_id: "I0000000000000009" } });
    const bare = container("C000000000000001");
    const [a, b, c] = await keyImages.complete([inline, attribute, bare]);
    expect(a).toBe(inline);
    expect(b).toBe(attribute);
    expect(c.includes?.["key-image"]).toEqual({ data: { id: "I0000000000000042", type: "keyImage" } });
    expect(bare.includes).toBeUndefined();
    expect(source.calls).toEqual(["/collections/C000000000000001/key-image"]);
    expect((await keyImages.complete([bare]))[0]).toBe(c);
  });

  it("answers a container without a key image with null data", async () => {
    const source = new FakeSource();
    const [completed] = await new KeyImages(source).complete([container("G000000000000999")]);
    expect(source.calls).toEqual(["/galleries/G000000000000999/key-image"]);
    expect(completed.includes?.["key-image"]).toEqual({ data: null });
  });
});
