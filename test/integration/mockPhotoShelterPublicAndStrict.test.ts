/**
 * Mock PhotoShelter as real clients see it: public media readable with the api key alone, links in
 * the requested size, and strict mode, where only the `include=` names real clients use come back.
 */
import { mockSettingsFromEnv } from "../../mock-server/config";
import { photoShelterOf } from "../../mock-server/photoshelter";
import { CONFIRMED_INCLUDES } from "../../mock-server/photoshelter/envelope";
import type { Media } from "../../mock-server/photoshelter/library";
import { COLLECTIONS, GALLERIES } from "../../mock-server/photoshelter/wellKnown";
import { startMockServer } from "../../mock-server/server";
import { PhotoShelterTestClient, decodeImage, startPhotoShelter } from "./mockPhotoShelterHelpers";

let ps: PhotoShelterTestClient;
let token: string;
let published: Media;
let restricted: Media;
beforeAll(async () => {
  ps = await startPhotoShelter(300);
  token = await ps.signIn();
  const media = photoShelterOf(ps.server.context).library.media;
  published = media.find((m) => m.galleryIds.includes(GALLERIES.pressLogos))!;
  restricted = media.find((m) => m.type === "image" && !m.galleryIds.includes(GALLERIES.pressLogos))!;
});
afterAll(() => ps.server.close());

describe("public media (spec paths/mediaId.yaml: works for public and authenticated users)", () => {
  it("the seeded library has a public gallery of approved, unexpired logos", () => {
    const library = photoShelterOf(ps.server.context).library;
    const gallery = library.get(GALLERIES.pressLogos)!;
    expect(gallery).toMatchObject({ mode: "everyone", accessInherit: false, parentIds: [COLLECTIONS.brandLogos] });
    expect(gallery.media.length).toBeGreaterThan(0);
    for (const n of gallery.media) expect(library.media[n - 1].custom.approvalStatus).toBe("approved");
  });

  it("reads a public media item and its sub-resources with the api key alone", async () => {
    for (const path of ["", "/iptc", "/metadata", "/custom-metadata", "/galleries", "/link"]) {
      const reply = await ps.get(`/psapi/v4.0/media/${published.id}${path}`);
      expect({ path, status: reply.status }).toEqual({ path, status: 200 });
    }
    const item = await ps.get(`/psapi/v4.0/media/${published.id}`);
    expect(item.json.data).toMatchObject({ id: published.id, type: "image", attributes: { file_name: published.fileName } });
    const galleries = await ps.get(`/psapi/v4.0/media/${published.id}/galleries`);
    // Without a member token only the public gallery is listed.
    expect(galleries.json.data.map((g: { id: string }) => g.id)).toEqual([GALLERIES.pressLogos]);
    expect((await ps.get(`/psapi/v4.0/galleries/${GALLERIES.pressLogos}`)).json.data.attributes.mode).toBe("everyone");
  });

  it("still needs the api key, and a member token for anything not public", async () => {
    expect((await ps.get(`/psapi/v4.0/media/${published.id}`, { apiKey: null })).status).toBe(403);
    const denied = await ps.get(`/psapi/v4.0/media/${restricted.id}`);
    expect(denied.status).toBe(401);
    expect(denied.json.errors[0]).toMatchObject({ id: "AcsPermissionException", title: "Invalid access to resource: Media" });
    expect((await ps.get(`/psapi/v4.0/media/${restricted.id}`, { token })).status).toBe(200);
    // Search stays a member call.
    expect((await ps.get("/psapi/v4.0/search?terms=logo")).status).toBe(401);
  });
});

describe("/media/{id}/link honours image_size and image_mode", () => {
  const link = async (query: string) => ps.get(`/psapi/v4.0/media/${restricted.id}/link${query}`, { token });

  it("fits the image into the box by default and crops with image_mode=fill", async () => {
    const fit = await link("?image_size=300x300&image_mode=fit");
    expect(fit.json.data.attributes.link).toBe(`${ps.url}/img-get2/${restricted.id}/fit=300x300`);
    const fitted = decodeImage((await ps.get(new URL(fit.json.data.attributes.link).pathname)).bytes);
    expect(Math.max(fitted.width, fitted.height)).toBe(300);
    expect(fitted.width / fitted.height).toBeCloseTo(restricted.width! / restricted.height!, 1);
    const fill = await link("?image_size=200x120&image_mode=fill");
    const filled = decodeImage((await ps.get(new URL(fill.json.data.attributes.link).pathname)).bytes);
    expect([filled.width, filled.height]).toEqual([200, 120]);
    expect((await link("?image_size=x700")).json.data.attributes.link).toBe(`${ps.url}/img-get2/${restricted.id}/fit=x700`);
    expect((await link("")).json.data.attributes.link).toBe(`${ps.url}/img-get2/${restricted.id}/fit=1200x1200`);
  });

  it("answers 400 for sizes and modes it cannot serve", async () => {
    for (const query of ["?image_size=big", "?image_size=x", "?image_size=0x100", "?image_mode=stretch", "?image_size=x700&image_mode=fill"]) {
      expect({ query, status: (await link(query)).status }).toEqual({ query, status: 400 });
    }
  });

  it("links video, audio and documents to their file whatever the size", async () => {
    const video = photoShelterOf(ps.server.context).library.media.find((m) => m.type === "video")!;
    const reply = await ps.get(`/psapi/v4.0/media/${video.id}/link?image_size=300x300`, { token });
    expect(reply.json.data.attributes.link).toBe(`${ps.url}/media-get/${video.id}/${encodeURIComponent(video.fileName)}`);
  });
});

describe("strict mode answers only confirmed include names", () => {
  const setStrict = async (strict: boolean) => expect((await ps.call("PUT", "/__admin/photoshelter/includes", { json: { strict } })).json).toEqual({ strict });
  afterEach(() => setStrict(false));

  it("ignores custom_metadata and galleries on media but keeps iptc", async () => {
    const path = `/psapi/v4.0/media/${restricted.id}?include=iptc,custom_metadata,galleries`;
    const lenient = await ps.get(path, { token });
    expect(Object.keys(lenient.json.data.includes).sort()).toEqual(["custom_metadata", "galleries", "iptc"]);
    await setStrict(true);
    const strict = await ps.get(path, { token });
    expect(Object.keys(strict.json.data.includes)).toEqual(["iptc"]);
    const search = await ps.get("/psapi/v4.0/search?per_page=5&include=iptc,custom_metadata,galleries", { token });
    for (const item of search.json.data) expect(Object.keys(item.includes)).toEqual(["iptc"]);
    // The sub-resources real clients read stay available.
    const custom = await ps.get(`/psapi/v4.0/media/${restricted.id}/custom-metadata`, { token });
    expect(custom.json.data.attributes.custom_metadata.map((f: { name: string }) => f.name)).toContain("Approval Status");
    const galleries = await ps.get(`/psapi/v4.0/media/${restricted.id}/galleries?include=gallery`, { token });
    expect(galleries.json.data.map((g: { id: string }) => g.id).sort()).toEqual([...restricted.galleryIds].sort());
    expect(galleries.json.data[0].includes.gallery.data.attributes.name).toEqual(expect.any(String));
  });

  it("ignores key-image on containers but answers child-count and parent", async () => {
    await setStrict(true);
    const reply = await ps.get(`/psapi/v4.0/collections/${COLLECTIONS.brandLogos}?include=child-count,key-image,parent`, { token });
    expect(Object.keys(reply.json.data.includes).sort()).toEqual(["child-count", "parent"]);
    // Collections have no key_image_id in the draft's schema (galleries do): the key image is a sub-resource.
    expect(reply.json.data.attributes).not.toHaveProperty("key_image_id");
    expect((await ps.get(`/psapi/v4.0/galleries/${GALLERIES.corporateLogos}`, { token })).json.data.attributes.key_image_id).toMatch(/^I0000/);
    expect((await ps.get(`/psapi/v4.0/collections/${COLLECTIONS.brandLogos}/key-image`, { token })).json.data.id).toMatch(/^I0000/);
  });

  it("is the documented list, set by MOCK_PS_STRICT_INCLUDES or the server settings", async () => {
    expect([...CONFIRMED_INCLUDES].sort()).toEqual(["access", "child-count", "children", "gallery", "iptc", "media", "options", "organizations", "parent", "path", "permissions"]);
    expect(mockSettingsFromEnv({ MOCK_PS_STRICT_INCLUDES: "1" }).psStrictIncludes).toBe(true);
    expect(mockSettingsFromEnv({}).psStrictIncludes).toBe(false);
    expect(() => mockSettingsFromEnv({ MOCK_PS_STRICT_INCLUDES: "maybe" })).toThrow("MOCK_PS_STRICT_INCLUDES");
    const strict = new PhotoShelterTestClient(await startMockServer({ port: 0, media: 20, seed: 1, settings: { psStrictIncludes: true } }));
    try {
      const session = await strict.signIn();
      const search = await strict.get("/psapi/v4.0/search?per_page=3&include=custom_metadata", { token: session });
      expect(search.json.data.length).toBe(3);
      for (const item of search.json.data) expect(item.includes).toBeUndefined();
    } finally {
      await strict.server.close();
    }
    expect((await ps.call("PUT", "/__admin/photoshelter/includes", { json: { strict: "yes" } })).status).toBe(400);
  });
});
