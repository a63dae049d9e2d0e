/** Mock PhotoShelter writes: v3 insert/upload/visibility (documented) and the inferred v4 writes. */
import { photoShelterOf } from "../../mock-server/photoshelter";
import { assetColour, renderImage } from "../../mock-server/photoshelter/render";
import { COLLECTIONS, CUSTOM_FIELDS, GALLERIES } from "../../mock-server/photoshelter/wellKnown";
import { PhotoShelterTestClient, decodeImage, startPhotoShelter } from "./mockPhotoShelterHelpers";

let ps: PhotoShelterTestClient;
let token: string;
beforeAll(async () => {
  ps = await startPhotoShelter(120);
  token = await ps.signIn();
});
afterAll(() => ps.server.close());

const v3 = (method: string, path: string, form?: Record<string, string>) => ps.call(method, `/psapi/v3${path}`, { headers: { "x-ps-auth-token": token }, form });
const v4 = (method: string, path: string, json?: unknown) => ps.call(method, `/psapi/v4.0${path}`, { token, json });

function uploadForm(bytes: Buffer, fileName: string, type: string, fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("file", new Blob([new Uint8Array(bytes)], { type }), fileName);
  return form;
}

describe("v3 (documented)", () => {
  it("creates a collection and a gallery inside it, then lists the gallery with gallery/query", async () => {
    const collection = await v3("POST", "/mem/collection/insert", { name: "Spring Campaign 2027", parent: COLLECTIONS.campaigns, mode: "private", f_list: "f" });
    expect(collection.json).toMatchObject({ status: "ok", data: { Collection: { collection_id: expect.stringMatching(/^C.{15}$/) } } });
    const collectionId = collection.json.data.Collection.collection_id;
    // Clients also send insert as GET with query parameters.
    const gallery = await ps.get(`/psapi/v3/mem/gallery/insert?name=${encodeURIComponent("Launch photos")}&parent=${collectionId}&mode=permission&f_list=t`, { headers: { "x-ps-auth-token": token } });
    const galleryId = gallery.json.data.Gallery.gallery_id;
    expect(galleryId).toMatch(/^G.{15}$/);
    const query = await ps.get(`/psapi/v3/mem/gallery/query?parent=${collectionId}`, { headers: { "x-ps-auth-token": token } });
    expect(query.json.data.Gallery).toEqual([expect.objectContaining({ gallery_id: galleryId, name: "Launch photos", mode: "permission", f_list: "t", parent_id: collectionId })]);
    const children = await v4("GET", `/collections/${collectionId}/children`);
    expect(children.json.data.map((c: { id: string }) => c.id)).toEqual([galleryId]);
  });

  it("rejects bad input with an error and creates nothing", async () => {
    const before = photoShelterOf(ps.server.context).library.containers.size;
    expect((await v3("POST", "/mem/gallery/insert", { name: "" })).json).toMatchObject({ status: "error", error: { code: "BadRequestException" } });
    expect((await v3("POST", "/mem/gallery/insert", { name: "x", parent: "C0000NoSuchColl1" })).status).toBe(404);
    expect((await v3("POST", "/mem/gallery/insert", { name: "x", mode: "secret" })).status).toBe(400);
    expect(photoShelterOf(ps.server.context).library.containers.size).toBe(before);
  });

  it("writes need the token switched into the organization", async () => {
    const outside = await ps.signIn(false);
    const reply = await ps.call("POST", "/psapi/v3/mem/gallery/insert", { headers: { "x-ps-auth-token": outside }, form: { name: "Nope" } });
    expect(reply.status).toBe(401);
  });

  it("upload round trip: the same bytes come back from download, and the asset is searchable", async () => {
    const bytes = renderImage(320, 200, { assetNumber: 9999, caption: "CASE 42" });
    const upload = await ps.call("POST", "/psapi/v3/mem/image/upload", {
      headers: { "x-ps-auth-token": token },
      body: uploadForm(bytes, "damage-photo.png", "image/png", { gallery_id: GALLERIES.caseEvidenceInbox, f_searchable: "t", caption: "Cracked housing, case 42" }),
    });
    expect(upload.status).toBe(200);
    const image = upload.json.data.Image;
    expect(image).toMatchObject({ image_id: expect.stringMatching(/^I0000\d{11}$/), file_name: "damage-photo.png", gallery_id: GALLERIES.caseEvidenceInbox, width: 320, height: 200, file_size: bytes.length });
    const download = await v4("GET", `/media/${image.image_id}/download`);
    expect(download.headers.get("content-type")).toBe("image/png");
    expect(Buffer.compare(download.bytes, bytes)).toBe(0);
    const v3Download = await ps.get(`/psapi/v3/mem/image/${image.image_id}/download`, { headers: { "x-ps-auth-token": token } });
    expect(Buffer.compare(v3Download.bytes, bytes)).toBe(0);
    const search = await v4("GET", `/search?terms=cracked&galleries=${GALLERIES.caseEvidenceInbox}`);
    expect(search.json.data.map((d: { id: string }) => d.id)).toEqual([image.image_id]);
    const custom = await v4("GET", `/media/${image.image_id}/custom-metadata`);
    expect(custom.json.data.attributes.custom_metadata.find((f: { name: string }) => f.name === "Approval Status").value).toBe("pending");
    const duplicate = await v3("POST", "/mem/image/query", { gallery_id: GALLERIES.caseEvidenceInbox, file_name: "damage-photo.png" });
    expect(duplicate.json.data.total).toBe(1);
    // The CDN scales and crops the uploaded picture itself.
    const thumb = decodeImage((await ps.get(`/img-get2/${image.image_id}/fill=100x100`, { apiKey: null })).bytes);
    expect([thumb.width, thumb.height]).toEqual([100, 100]);
    const [r, g, b] = assetColour(9999);
    expect(Math.abs(thumb.data[0] - r) + Math.abs(thumb.data[1] - g) + Math.abs(thumb.data[2] - b)).toBeLessThan(30);
  });

  it("uploads documents and rejects an upload without a gallery or a file, storing nothing", async () => {
    const count = photoShelterOf(ps.server.context).library.media.length;
    const noGallery = await ps.call("POST", "/psapi/v3/mem/image/upload", { headers: { "x-ps-auth-token": token }, body: uploadForm(Buffer.from("%PDF-1.4 x"), "a.pdf", "application/pdf", {}) });
    expect(noGallery.status).toBe(404);
    const noFile = new FormData();
    noFile.append("gallery_id", GALLERIES.caseEvidenceInbox);
    expect((await ps.call("POST", "/psapi/v3/mem/image/upload", { headers: { "x-ps-auth-token": token }, body: noFile })).status).toBe(400);
    const notMultipart = await v3("POST", "/mem/image/upload", { gallery_id: GALLERIES.caseEvidenceInbox });
    expect(notMultipart.status).toBe(415);
    expect(photoShelterOf(ps.server.context).library.media.length).toBe(count);
    const pdf = await ps.call("POST", "/psapi/v3/mem/image/upload", { headers: { "x-ps-auth-token": token }, body: uploadForm(Buffer.from("%PDF-1.4\n%%EOF\n"), "warranty.pdf", "application/pdf", { gallery_id: GALLERIES.caseEvidenceInbox }) });
    expect(pdf.json.data.Image.image_id).toMatch(/^DO000/);
  });

  it("updates visibility and permission inheritance", async () => {
    const gallery = photoShelterOf(ps.server.context).library.get(GALLERIES.corporateLogos)!;
    expect((await ps.get(`/psapi/v4.0/galleries/${gallery.id}`)).status).toBe(401);
    expect((await v3("POST", `/mem/gallery/${gallery.id}/visibility/update`, { mode: "everyone" })).json.status).toBe("ok");
    expect((await ps.get(`/psapi/v4.0/galleries/${gallery.id}`)).status).toBe(200); // now public
    expect((await v3("POST", `/mem/gallery/${gallery.id}/visibility/update`, { mode: "nobody" })).status).toBe(400);
    await v3("POST", `/mem/gallery/${gallery.id}/permission/inherit`, { collection_id: gallery.parentIds[0], inherit: "t" });
    expect(gallery.accessInherit).toBe(true);
    expect((await ps.get(`/psapi/v4.0/galleries/${gallery.id}`)).status).toBe(401); // inherits the parent's "permission" mode again
  });

  it("gives v3 image links in the requested size", async () => {
    const image = photoShelterOf(ps.server.context).library.media.find((m) => m.type === "image")!;
    const link = await ps.get(`/psapi/v3/mem/image/${image.id}/link?image_size=300x300&image_mode=fit&f_https_link=t`, { headers: { "x-ps-auth-token": token } });
    expect(link.json.data.ImageLink.link).toBe(`${ps.url}/img-get2/${image.id}/fit=300x300`);
  });
});

describe("inferred v4 writes", () => {
  it("creates and updates a gallery (description and custom fields)", async () => {
    const created = await v4("POST", "/galleries", { name: "Event: Summit 2027", description: "Booth photos", parent: COLLECTIONS.events, mode: "private" });
    expect(created.status).toBe(201);
    const id = created.json.data.id;
    const patched = await v4("PATCH", `/galleries/${id}`, { description: "Booth and keynote photos", custom_metadata: { "Event Id": "evt-123" } });
    expect(patched.json.data.attributes.description).toBe("Booth and keynote photos");
    const withFields = await v4("GET", `/galleries/${id}?include=custom-metadata`);
    expect(withFields.json.data.includes["custom-metadata"].data.attributes.custom_metadata).toEqual([{ name: "Event Id", value: "evt-123" }]);
    expect((await v4("PATCH", `/galleries/${id}`, { name: "" })).status).toBe(400);
    const collection = await v4("POST", "/collections", { name: "Campaign: Autumn", parent: COLLECTIONS.campaigns });
    expect(collection.json.data.type).toBe("collection");
  });

  it("grants a contact, a token and a password on a gallery, with expiry, and removes a grant", async () => {
    const gallery = GALLERIES.productLineLogos;
    const expires = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const contact = await v4("POST", `/galleries/${gallery}/permissions`, { type: "contact", email: ps.server.context.settings.psEmail, expires });
    expect(contact.status).toBe(201);
    expect(contact.json.data).toMatchObject({ id: expect.stringMatching(/^AR000.{11}$/), type: "contact", attributes: { expires } });
    const tokenGrant = await v4("POST", `/galleries/${gallery}/permissions`, { type: "token", token: "partner-abc", expires });
    await v4("POST", `/galleries/${gallery}/permissions`, { type: "password", password: "letmein" });
    const permissions = await v4("GET", `/galleries/${gallery}/permissions`);
    expect(permissions.json.data.attributes.native.map((p: { type: string }) => p.type)).toEqual(["contact", "token", "password"]);
    // Anonymous callers get in with the token or the password, not without.
    expect((await ps.get(`/psapi/v4.0/galleries/${gallery}/children`)).status).toBe(401);
    expect((await ps.get(`/psapi/v4.0/galleries/${gallery}/children?token=partner-abc`)).status).toBe(200);
    expect((await ps.get(`/psapi/v4.0/galleries/${gallery}/children?password=letmein`)).status).toBe(200);
    // The contact sees the gallery among its invites.
    expect((await v4("GET", "/user/invites")).json.data.map((c: { id: string }) => c.id)).toContain(gallery);
    expect((await v4("DELETE", `/galleries/${gallery}/permissions/${tokenGrant.json.data.id}`)).status).toBe(200);
    expect((await ps.get(`/psapi/v4.0/galleries/${gallery}/children?token=partner-abc`)).status).toBe(401);
    expect((await v4("DELETE", `/galleries/${gallery}/permissions/${tokenGrant.json.data.id}`)).status).toBe(404);
  });

  it("an expired grant no longer opens the gallery", async () => {
    const gallery = photoShelterOf(ps.server.context).library.get(GALLERIES.corporateLogos)!;
    await v4("POST", `/galleries/${gallery.id}/permissions`, { type: "token", token: "short-lived", expires: new Date(Date.now() + 60_000).toISOString() });
    expect((await ps.get(`/psapi/v4.0/galleries/${gallery.id}?token=short-lived`)).status).toBe(200);
    gallery.permissions.find((p) => p.token === "short-lived")!.expires = new Date(Date.now() - 1000).toISOString();
    expect((await ps.get(`/psapi/v4.0/galleries/${gallery.id}?token=short-lived`)).status).toBe(401);
  });

  it("validates grants: needs the credential of its type, a future expiry, known fields", async () => {
    const gallery = GALLERIES.productLineLogos;
    expect((await v4("POST", `/galleries/${gallery}/permissions`, { type: "token" })).status).toBe(400);
    expect((await v4("POST", `/galleries/${gallery}/permissions`, { type: "token", token: "t", expires: "2001-01-01" })).status).toBe(400);
    expect((await v4("POST", `/galleries/${gallery}/permissions`, { type: "token", token: "t", colour: "red" })).status).toBe(400);
    expect((await v4("POST", `/galleries/${gallery}/permissions`, { type: "contact", email: "not-an-email" })).status).toBe(400);
  });

  it("sets an asset's custom metadata (approval, review flag) and rejects bad values without changing anything", async () => {
    const asset = photoShelterOf(ps.server.context).library.media[3];
    const set = await v4("PATCH", `/media/${asset.id}/custom-metadata`, { custom_metadata: [{ id: CUSTOM_FIELDS.approvalStatus.id, value: "retired" }, { name: "Review Flag", value: "Product line retired in Dynamics" }] });
    expect(set.status).toBe(200);
    const fields = set.json.data.attributes.custom_metadata;
    expect(fields.find((f: { name: string }) => f.name === "Approval Status").value).toBe("retired");
    expect(fields.find((f: { name: string }) => f.name === "Review Flag").value).toBe("Product line retired in Dynamics");
    const retired = await v4("GET", `/search?media_id=${asset.id}&custom_metadata=${encodeURIComponent('{"Approval Status":"retired"}')}`);
    expect(retired.json.data).toHaveLength(1);
    const bad = await v4("PATCH", `/media/${asset.id}/custom_metadata`, { custom_metadata: { "Asset Version": "9.9", "Approval Status": "maybe" } });
    expect(bad.status).toBe(400);
    expect(asset.custom.assetVersion).not.toBe("9.9");
    expect((await v4("PATCH", `/media/${asset.id}/custom-metadata`, { custom_metadata: { "License Expiration Date": "next week" } })).status).toBe(400);
    expect((await v4("PATCH", `/media/${asset.id}/custom-metadata`, { custom_metadata: { "License Expiration Date": "2031-05-01" } })).json.data.attributes.custom_metadata.find((f: { type: string }) => f.type === "date").value).toBe("2031-05-01");
  });

  it("edited metadata is searchable at once, while the file name and caption stay as uploaded", async () => {
    const asset = photoShelterOf(ps.server.context).library.media.find((m) => m.custom.tier !== "Strategic" && !m.searchText.includes("strategic"))!;
    const before = (await v4("GET", `/media/${asset.id}?include=iptc`)).json.data;
    expect((await v4("GET", `/search?terms=strategic&media_id=${asset.id}`)).json.data).toEqual([]);
    await v4("PATCH", `/media/${asset.id}/custom-metadata`, { custom_metadata: { Tier: "Strategic" } });
    expect((await v4("GET", `/search?terms=strategic&media_id=${asset.id}`)).json.data.map((d: { id: string }) => d.id)).toEqual([asset.id]);
    const after = (await v4("GET", `/media/${asset.id}?include=iptc`)).json.data;
    expect(after.attributes.file_name).toBe(before.attributes.file_name);
    expect(after.includes.iptc.data.attributes.caption).toBe(before.includes.iptc.data.attributes.caption);
  });

  it("adds existing media to a gallery and deletes a gallery", async () => {
    const created = (await v4("POST", "/galleries", { name: "Temp", parent: COLLECTIONS.events })).json.data.id;
    const asset = photoShelterOf(ps.server.context).library.media[7];
    expect((await v4("POST", `/galleries/${created}/children`, { media_id: asset.id })).status).toBe(201);
    expect((await v4("GET", `/galleries/${created}/children`)).json.data.map((c: { id: string }) => c.id)).toEqual([asset.id]);
    expect(asset.galleryIds).toContain(created);
    expect((await v4("DELETE", `/galleries/${created}`)).status).toBe(200);
    expect((await v4("GET", `/galleries/${created}`)).status).toBe(404);
    expect(asset.galleryIds).not.toContain(created);
  });
});
