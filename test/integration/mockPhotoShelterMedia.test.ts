/** Mock PhotoShelter media: search filters, one item and its sub-resources, downloads, CDN images, usage. */
import { PNG } from "pngjs";
import { photoShelterOf } from "../../mock-server/photoshelter";
import { Media } from "../../mock-server/photoshelter/library";
import { COLLECTIONS, CUSTOM_FIELDS, GALLERIES, GALLERY_LIST } from "../../mock-server/photoshelter/wellKnown";
import { PhotoShelterTestClient, decodeImage, startPhotoShelter } from "./mockPhotoShelterHelpers";

let ps: PhotoShelterTestClient;
let token: string;
let media: Media[];
beforeAll(async () => {
  ps = await startPhotoShelter(300);
  token = await ps.signIn();
  media = photoShelterOf(ps.server.context).library.media;
});
afterAll(() => ps.server.close());

const v4 = (path: string) => ps.get(`/psapi/v4.0${path}`, { token });
const ids = (reply: { json: { data: Array<{ id: string }> } }) => reply.json.data.map((d) => d.id).sort();
const expected = (predicate: (m: Media) => boolean) => media.filter(predicate).map((m) => m.id).sort();

describe("search", () => {
  it("/search and /media share the filters; /media needs one of the draft's required filters", async () => {
    expect((await v4("/media?per_page=10")).status).toBe(400);
    const viaMedia = await v4("/media?terms=factory&per_page=1000");
    const viaSearch = await v4("/search?terms=factory&per_page=1000");
    expect(ids(viaMedia)).toEqual(ids(viaSearch));
    expect(ids(viaSearch)).toEqual(expected((m) => m.searchText.includes("factory")));
    expect(viaSearch.json.data.length).toBeGreaterThan(0);
  });

  it("terms match all words by default, any word with match_all_terms=false", async () => {
    const all = await v4("/search?terms=factory%20aquila&per_page=1000");
    expect(ids(all)).toEqual(expected((m) => m.searchText.includes("factory") && m.searchText.includes("aquila")));
    const any = await v4("/search?terms=factory%20aquila&match_all_terms=false&per_page=1000");
    expect(ids(any)).toEqual(expected((m) => m.searchText.includes("factory") || m.searchText.includes("aquila")));
  });

  it("filters by media_type (doc means document), galleries and collections", async () => {
    expect(ids(await v4("/search?media_type=video,doc&per_page=1000"))).toEqual(expected((m) => m.type === "video" || m.type === "document"));
    expect((await v4("/search?media_type=gif")).status).toBe(400);
    const gallery = GALLERY_LIST[2].id;
    expect(ids(await v4(`/search?galleries=${gallery}&per_page=1000`))).toEqual(expected((m) => m.galleryIds.includes(gallery)));
    const industryGalleries = GALLERY_LIST.filter((g) => g.purpose.kind === "industry").map((g) => g.id);
    expect(ids(await v4(`/search?collections=${COLLECTIONS.industries}&per_page=1000`))).toEqual(expected((m) => m.galleryIds.some((g) => industryGalleries.includes(g))));
  });

  it("filters by custom metadata (field id or name) and answers 400 for an unknown field or bad JSON", async () => {
    const byId = await v4(`/search?per_page=1000&custom_metadata=${encodeURIComponent(JSON.stringify({ [CUSTOM_FIELDS.region.id]: "EMEA", [CUSTOM_FIELDS.approvalStatus.id]: "approved" }))}`);
    expect(ids(byId)).toEqual(expected((m) => m.custom.region === "EMEA" && m.custom.approvalStatus === "approved"));
    const byName = await v4(`/search?per_page=1000&custom_metadata=${encodeURIComponent(JSON.stringify({ "Product Line": ["Aquila", "Draco"] }))}`);
    expect(ids(byName)).toEqual(expected((m) => m.custom.productLine === "Aquila" || m.custom.productLine === "Draco"));
    expect((await v4(`/search?custom_metadata=${encodeURIComponent('{"Colour":"red"}')}`)).status).toBe(400);
    expect((await v4("/search?custom_metadata=not-json")).status).toBe(400);
  });

  it("filters by releases, orientation and creation dates", async () => {
    expect(ids(await v4("/search?model_release=t&per_page=1000"))).toEqual(expected((m) => m.modelReleased));
    expect(ids(await v4("/search?orientation=vertical&per_page=1000"))).toEqual(expected((m) => m.width !== null && m.height !== null && m.height > m.width));
    const from = Date.UTC(2022, 0, 1);
    const to = Date.UTC(2022, 11, 31, 23, 59, 59);
    expect(ids(await v4("/search?create_start=2022-01-01%2000:00:00%20GMT&create_end=2022-12-31%2023:59:59%20GMT&per_page=1000"))).toEqual(expected((m) => m.createdAt >= from && m.createdAt <= to));
    expect((await v4("/search?create_start=yesterday-ish")).status).toBe(400);
  });

  it("sorts by creation_time descending by default and by file_name on request", async () => {
    const newest = await v4("/search?per_page=20");
    const created = newest.json.data.map((d: { id: string }) => media.find((m) => m.id === d.id)!.createdAt);
    expect(created).toEqual([...created].sort((a, b) => b - a));
    const byName = await v4("/search?per_page=20&sort_by=file_name&sort_direction=ascending");
    const names = byName.json.data.map((d: { attributes: { file_name: string } }) => d.attributes.file_name);
    expect(names).toEqual([...names].sort());
  });

  it("media_id lists fetch several items in one call", async () => {
    const wanted = [media[4].id, media[9].id, media[11].id];
    expect(ids(await v4(`/search?media_id=${wanted.join(",")}`))).toEqual([...wanted].sort());
  });
});

describe("one media item", () => {
  it("has type-specific attributes and its sub-resources", async () => {
    const image = media.find((m) => m.type === "image")!;
    const item = await v4(`/media/${image.id}`);
    expect(item.json.data).toMatchObject({ id: image.id, type: "image", attributes: { file_name: image.fileName, width: image.width, height: image.height, model_released: image.modelReleased } });
    const iptc = await v4(`/media/${image.id}/iptc`);
    expect(iptc.json.data.attributes).toMatchObject({ caption: image.caption, credit: image.credit, copyright: image.copyright, keywords: image.keywords.join(",") });
    const metadata = await v4(`/media/${image.id}/metadata`);
    expect(JSON.parse(metadata.json.data.attributes.raw).streams[0]).toEqual({ width: image.width, height: image.height });
    for (const spelling of ["custom-metadata", "custom_metadata"]) {
      const custom = await v4(`/media/${image.id}/${spelling}`);
      const field = custom.json.data.attributes.custom_metadata.find((f: { id: string }) => f.id === CUSTOM_FIELDS.licenseExpirationDate.id);
      expect(field).toEqual({ id: CUSTOM_FIELDS.licenseExpirationDate.id, name: "License Expiration Date", type: "date", value: image.custom.licenseExpirationDate });
    }
    const galleries = await v4(`/media/${image.id}/galleries?include=gallery`);
    expect(ids(galleries)).toEqual([...image.galleryIds].sort());
    expect(galleries.json.data[0].includes.gallery.data.attributes.name).toEqual(expect.any(String));
    const link = await v4(`/media/${image.id}/link`);
    expect(link.json.data.attributes.link).toContain(`/img-get2/${image.id}/`);

    const video = media.find((m) => m.type === "video")!;
    const videoItem = await v4(`/media/${video.id}`);
    expect(videoItem.json.data).toMatchObject({ type: "video", attributes: { duration: video.durationSeconds, format: "video/mp4" } });
    const videoMeta = JSON.parse((await v4(`/media/${video.id}/metadata`)).json.data.attributes.raw);
    expect(Number(videoMeta.format.duration)).toBe(video.durationSeconds);
    const doc = media.find((m) => m.type === "document")!;
    expect((await v4(`/media/${doc.id}`)).json.data.attributes).toMatchObject({ format: "application/pdf", format_readable: "PDF Document" });
  });

  it("404s for an unknown or malformed id", async () => {
    expect((await v4("/media/I000000000099999")).json.errors[0].id).toBe("ResourceNotFoundException");
    expect((await v4("/media/nonsense")).status).toBe(404);
  });
});

describe("downloads", () => {
  it("returns the original image as a real PNG of its native size, with a file name", async () => {
    const image = media.find((m) => m.type === "image")!;
    const reply = await v4(`/media/${image.id}/download?download_filetype=original&download_quality=original`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe("image/png");
    expect(reply.headers.get("content-disposition")).toContain(`filename="${image.fileName}"`);
    const png = PNG.sync.read(reply.bytes);
    expect([png.width, png.height]).toEqual([image.width, image.height]);
  });

  it("download_filetype=jpeg gives a JPEG whose long edge is download_quality, never upscaled", async () => {
    // The smallest photo keeps the native-size JPEG cheap to encode.
    const image = media.filter((m) => m.type === "image" && m.width! > 1000).sort((a, b) => a.width! * a.height! - b.width! * b.height!)[0];
    const reply = await v4(`/media/${image.id}/download?download_filetype=jpeg&download_quality=600`);
    expect(reply.headers.get("content-type")).toBe("image/jpeg");
    expect(reply.headers.get("content-disposition")).toContain(".jpg");
    const small = decodeImage(reply.bytes);
    expect(Math.max(small.width, small.height)).toBe(600);
    const huge = decodeImage((await v4(`/media/${image.id}/download?download_filetype=jpeg&download_quality=4800`)).bytes);
    expect([huge.width, huge.height]).toEqual([image.width, image.height]);
    expect((await v4(`/media/${image.id}/download?download_quality=big`)).status).toBe(400);
    expect((await v4(`/media/${image.id}/download?download_filetype=mp4`)).status).toBe(400);
  });

  it("serves documents, audio and video as real files of their type", async () => {
    const doc = media.find((m) => m.type === "document")!;
    const pdf = await v4(`/media/${doc.id}/download`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.bytes.subarray(0, 8).toString()).toBe("%PDF-1.4");
    expect(pdf.bytes.toString("latin1")).toContain("%%EOF");
    const audio = media.find((m) => m.type === "audio")!;
    const wav = await v4(`/media/${audio.id}/download`);
    expect(wav.headers.get("content-type")).toBe("audio/wav");
    expect(wav.bytes.subarray(8, 12).toString()).toBe("WAVE");
    expect(wav.bytes.length).toBe(audio.fileSize);
    const video = media.find((m) => m.type === "video")!;
    const mp4 = await v4(`/media/${video.id}/download?download_filetype=mp4&download_quality=hd720`);
    expect(mp4.headers.get("content-type")).toBe("video/mp4");
    expect(mp4.bytes.subarray(4, 8).toString()).toBe("ftyp");
  });

  it("needs the member token unless the media is in a public gallery", async () => {
    const restricted = media.find((m) => !m.galleryIds.includes(GALLERIES.pressLogos))!;
    expect((await ps.get(`/psapi/v4.0/media/${restricted.id}/download`)).status).toBe(401);
    const published = media.find((m) => m.galleryIds.includes(GALLERIES.pressLogos))!;
    expect((await ps.get(`/psapi/v4.0/media/${published.id}/download`)).status).toBe(200);
  });
});

describe("CDN images", () => {
  it("fill=WxH gives exactly that size; fit keeps the aspect ratio; other forms are read too", async () => {
    const image = media.find((m) => m.type === "image" && m.width! > m.height!)!;
    const fill = await ps.get(`/img-get2/${image.id}/fill=400x400`, { apiKey: null });
    expect(fill.status).toBe(200);
    expect(fill.headers.get("content-type")).toBe("image/jpeg");
    const filled = decodeImage(fill.bytes);
    expect([filled.width, filled.height]).toEqual([400, 400]);
    const fit = decodeImage((await ps.get(`/img-get2/${image.id}/fit=300x300`, { apiKey: null })).bytes);
    expect(fit.width).toBe(300);
    expect(fit.height).toBe(Math.round((image.height! * 300) / image.width!));
    const v3Form = decodeImage((await ps.get(`/img-get2/${image.id}/x200/photo.png`, { apiKey: null })).bytes);
    expect(v3Form.height).toBe(200);
    expect((await ps.get(`/img-get2/${image.id}/fill=0x10`, { apiKey: null })).status).toBe(400);
    expect((await ps.get(`/img-get2/${image.id}/fill=99999x10`, { apiKey: null })).status).toBe(400);
    expect((await ps.get("/img-get2/I000000000099999/fill=10x10", { apiKey: null })).status).toBe(404);
  });

  it("two assets get tiles of different colours", async () => {
    const [a, b] = media.filter((m) => m.type === "image");
    const corner = async (id: string) => decodeImage((await ps.get(`/img-get2/${id}/fill=40x40`, { apiKey: null })).bytes).data.readUInt32BE(0);
    expect(await corner(a.id)).not.toBe(await corner(b.id));
  });
});

describe("usage", () => {
  it("counts downloads and previews per asset and day, and views show on the media item", async () => {
    const image = media.filter((m) => m.type === "image")[5];
    const before = (await v4(`/media/${image.id}`)).json.data.attributes.views;
    await v4(`/media/${image.id}/download`);
    await v4(`/media/${image.id}/download`);
    await ps.get(`/img-get2/${image.id}/fit=1200x1200`, { apiKey: null });
    await ps.get(`/img-get2/${image.id}/fill=100x100`, { apiKey: null }); // a thumbnail is not a view
    const after = (await v4(`/media/${image.id}`)).json.data.attributes.views;
    expect(after).toBe(before + 1);
    const usage = await ps.get(`/__admin/photoshelter/usage?media_id=${image.id}`);
    expect(usage.json.items).toEqual([{ mediaId: image.id, day: new Date().toISOString().slice(0, 10), views: 1, downloads: 2 }]);
    expect((await ps.get("/__admin/photoshelter/usage?from=2000-01-01&to=2000-12-31")).json.items).toEqual([]);
  });
});
