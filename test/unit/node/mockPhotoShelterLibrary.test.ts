/** The mock's seeded library and its file renderers. */
import { PNG } from "pngjs";
import { Library, assetNumberOf, imageSize, mediaId } from "../../../mock-server/photoshelter/library";
import { assetColour, renderImage, renderMp4, renderPdf, renderWav } from "../../../mock-server/photoshelter/render";
import { COLLECTION_TREE, GALLERY_LIST, INDUSTRY_COLLECTION, REGION_COLLECTION } from "../../../mock-server/photoshelter/wellKnown";

const today = new Date(Date.UTC(2026, 5, 15, 12));

describe("library generation", () => {
  it("is deterministic: the same seed gives the same library, another seed a different one", () => {
    const a = new Library(11, 500, today);
    const b = new Library(11, 500, today);
    expect(JSON.stringify(a.media)).toBe(JSON.stringify(b.media));
    expect(JSON.stringify([...a.containers.values()])).toBe(JSON.stringify([...b.containers.values()]));
    const c = new Library(12, 500, today);
    expect(JSON.stringify(c.media)).not.toBe(JSON.stringify(a.media));
  });

  it("a larger library starts with the same assets as a smaller one of the same seed", () => {
    const small = new Library(5, 100, today);
    const large = new Library(5, 1000, today);
    expect(JSON.stringify(large.media.slice(0, 100))).toBe(JSON.stringify(small.media));
  });

  it("keeps the well-known collection tree and every gallery under its collection", () => {
    const library = new Library(1, 50, today);
    for (const c of COLLECTION_TREE) expect(library.get(c.id)).toMatchObject({ kind: "collection", name: c.name, parentIds: c.parentId ? [c.parentId] : [] });
    for (const g of GALLERY_LIST) expect(library.get(g.id)).toMatchObject({ kind: "gallery", parentIds: [g.parentId] });
  });

  it("places assets consistently with their Region, Industry and Product Line metadata", () => {
    const library = new Library(3, 3000, today);
    for (const g of GALLERY_LIST) {
      const members = library.get(g.id)!.media.map((n) => library.media[n - 1]);
      expect(members.length).toBeGreaterThan(0);
      const purpose = g.purpose;
      if (purpose.kind === "region") {
        expect(g.parentId).toBe(REGION_COLLECTION[purpose.region]);
        expect(members.every((m) => m.custom.region === purpose.region)).toBe(true);
      }
      if (purpose.kind === "industry") {
        expect(g.parentId).toBe(INDUSTRY_COLLECTION[purpose.industry]);
        expect(members.every((m) => m.custom.industry === purpose.industry)).toBe(true);
      }
      if (purpose.kind === "product") expect(members.every((m) => m.custom.productLine === purpose.productLine)).toBe(true);
    }
    for (const m of library.media) for (const g of m.galleryIds) expect(library.get(g)!.media).toContain(m.number);
  });

  it("spreads licence expiry relative to today: expired, within 14 days, within 30 days, far, none", () => {
    const library = new Library(9, 2000, today);
    const start = Date.UTC(2026, 5, 15);
    const days = library.media.map((m) => (m.custom.licenseExpirationDate === null ? null : Math.round((Date.parse(m.custom.licenseExpirationDate) - start) / 86_400_000)));
    const share = (test: (d: number | null) => boolean) => days.filter(test).length / days.length;
    expect(share((d) => d === null)).toBeGreaterThan(0.2);
    expect(share((d) => d !== null && d < 0)).toBeGreaterThan(0.05);
    expect(share((d) => d !== null && d >= 0 && d <= 14)).toBeGreaterThan(0.04);
    expect(share((d) => d !== null && d > 14 && d <= 30)).toBeGreaterThan(0.04);
    expect(share((d) => d !== null && d > 30)).toBeGreaterThan(0.3);
    // The same seed on another day keeps the same distances from "today".
    const later = new Library(9, 2000, new Date(Date.UTC(2027, 0, 1)));
    const i = days.findIndex((d) => d !== null);
    expect(Math.round((Date.parse(later.media[i].custom.licenseExpirationDate!) - Date.UTC(2027, 0, 1)) / 86_400_000)).toBe(days[i]);
  });

  it("has every media type, every approval status and the organization's custom fields", () => {
    const library = new Library(2, 1000, today);
    expect(new Set(library.media.map((m) => m.type))).toEqual(new Set(["image", "video", "audio", "document"]));
    expect(new Set(library.media.map((m) => m.custom.approvalStatus))).toEqual(new Set(["approved", "pending", "rejected", "retired"]));
    for (const m of library.media) {
      expect(m.id).toHaveLength(16);
      expect(m.custom.assetVersion).toMatch(/^\d+\.\d+$/);
      expect(m.keywords.length).toBeGreaterThan(1);
      expect(m.caption.length).toBeGreaterThan(0);
    }
  });

  it("media ids encode the type and the asset number, and only valid ids map back", () => {
    expect(mediaId("video", 42)).toBe("VD00000000000042");
    expect(assetNumberOf("VD00000000000042")).toBe(42);
    expect(assetNumberOf("I000000000000007")).toBe(7);
    expect(assetNumberOf("I00000000000000x")).toBeNull();
    expect(assetNumberOf("X000000000000007")).toBeNull();
    const library = new Library(1, 20, today);
    const first = library.media[0];
    expect(library.mediaById(first.id)).toBe(first);
    expect(library.mediaById(mediaId(first.type === "image" ? "video" : "image", 1))).toBeUndefined();
  });
});

describe("renderers", () => {
  it("renders a PNG of exactly the requested size in the asset's colour", () => {
    const png = PNG.sync.read(renderImage(321, 123, { assetNumber: 17, caption: "AQUILA" }));
    expect([png.width, png.height]).toEqual([321, 123]);
    const [r, g, b] = assetColour(17);
    expect([...png.data.subarray(0, 3)]).toEqual([r, g, b]);
  });

  it("draws the asset number: different numbers give different pixels in the label band", () => {
    const label = (n: number) => {
      const png = PNG.sync.read(renderImage(200, 200, { assetNumber: n, caption: "" }));
      return [...png.data].map((v, i) => (i % 4 === 3 ? 0 : v)).filter((v) => v === 255).length;
    };
    expect(label(1)).toBeGreaterThan(0);
    expect(label(1)).not.toBe(label(888));
    expect(assetColour(1)).not.toEqual(assetColour(2));
  });

  it("writes a PDF whose cross-reference table points at its objects", () => {
    const pdf = renderPdf(5, ["Caption (with parentheses)", "Ünïcode is replaced"]).toString("latin1");
    const startxref = Number(pdf.match(/startxref\n(\d+)/)![1]);
    expect(pdf.slice(startxref, startxref + 4)).toBe("xref");
    const offsets = [...pdf.matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    offsets.forEach((offset, i) => expect(pdf.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));
    expect(pdf).toContain("Caption \\(with parentheses\\)");
  });

  it("writes a WAV of the requested length and an MP4 with a movie header", () => {
    const wav = renderWav(3, 2);
    expect(wav.toString("ascii", 0, 4)).toBe("RIFF");
    expect(wav.readUInt32LE(40)).toBe(2 * 8000 * 2);
    const mp4 = renderMp4(3, 12.5, "clip");
    expect(mp4.toString("ascii", 4, 8)).toBe("ftyp");
    const mvhd = mp4.indexOf("mvhd");
    expect(mp4.readUInt32BE(mvhd + 4 + 16) / mp4.readUInt32BE(mvhd + 4 + 12)).toBe(12.5);
  });

  it("reads width and height from PNG and JPEG headers", () => {
    expect(imageSize(renderImage(30, 20, { assetNumber: 1, caption: "" }))).toEqual({ width: 30, height: 20 });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0, 50, 0, 80, 3, 0, 0, 0, 0]);
    expect(imageSize(jpeg)).toEqual({ width: 80, height: 50 });
    expect(imageSize(Buffer.from("not an image"))).toBeNull();
  });
});
