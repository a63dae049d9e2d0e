/** Mock PhotoShelter browsing: library, collections, galleries, envelope, include nesting, paging edges, sort. */
import { photoShelterOf } from "../../mock-server/photoshelter";
import { COLLECTIONS, GALLERIES, GALLERY_LIST, REGIONS } from "../../mock-server/photoshelter/wellKnown";
import { PhotoShelterTestClient, startPhotoShelter } from "./mockPhotoShelterHelpers";

let ps: PhotoShelterTestClient;
let token: string;
beforeAll(async () => {
  ps = await startPhotoShelter(300);
  token = await ps.signIn();
});
afterAll(() => ps.server.close());

const v4 = (path: string) => ps.get(`/psapi/v4.0${path}`, { token });

it("/library lists the top-level collections as v4 resources with links and meta", async () => {
  const reply = await v4("/library?sort_by=name&sort_direction=ascending");
  expect(reply.status).toBe(200);
  const names = reply.json.data.map((c: { attributes: { name: string } }) => c.attributes.name);
  expect(names).toEqual(["Brand", "Campaigns", "Case Evidence", "Events", "Industries", "Partners", "Regions"]);
  const brand = reply.json.data.find((c: { id: string }) => c.id === COLLECTIONS.brand);
  expect(brand).toMatchObject({ type: "collection", links: { self: `${ps.url}/psapi/v4.0/collections/${COLLECTIONS.brand}` } });
  expect(brand.attributes.created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT$/);
  expect(reply.json.meta.rate_limit).toEqual({ limit: expect.any(Number), current: expect.any(Number), expires: expect.any(Number) });
  const descending = await v4("/library?sort_by=name&sort_direction=descending");
  expect(descending.json.data[0].attributes.name).toBe("Regions");
});

it("date_format switches dates between PhotoShelter's format, ISO 8601 and Unix seconds", async () => {
  const date = async (format: string) => (await v4(`/collections/${COLLECTIONS.brand}?date_format=${format}`)).json.data.attributes.created_at;
  expect(await date("iso8601ps")).toBe("2019-01-15 00:00:00 GMT");
  expect(await date("iso8601")).toBe("2019-01-15T00:00:00.000Z");
  expect(await date("unix")).toBe(Date.UTC(2019, 0, 15) / 1000);
  expect((await v4(`/collections/${COLLECTIONS.brand}?date_format=rfc`)).status).toBe(400);
});

it("include=children lists a collection's children inside the resource", async () => {
  const reply = await v4(`/collections/${COLLECTIONS.brand}?include=children`);
  expect(reply.json.data.includes.children.data.map((c: { id: string }) => c.id)).toEqual([COLLECTIONS.brandLogos, COLLECTIONS.brandProductImagery]);
});

it("ids are 16 characters in PhotoShelter's formats", async () => {
  const search = await v4("/search?per_page=100");
  for (const item of search.json.data) expect(item.id).toMatch(/^(I0|VD|AD|DO)000[a-zA-Z0-9._]{11}$/);
  for (const c of (await v4("/collections?per_page=100")).json.data) expect(c.id).toMatch(/^C[0-9A-Za-z]{15}$/);
  for (const g of (await v4("/galleries?per_page=100")).json.data) expect(g.id).toMatch(/^G[0-9A-Za-z]{15}$/);
});

it("collection children carry mode/effective_mode/access_inherit and meta.children_count", async () => {
  const reply = await v4(`/collections/${COLLECTIONS.regions}/children`);
  expect(reply.json.data.map((c: { id: string }) => c.id)).toEqual([COLLECTIONS.regionNorthAmerica, COLLECTIONS.regionEmea, COLLECTIONS.regionApac]);
  expect(reply.json.data[0].attributes).toMatchObject({ mode: "permission", effective_mode: "permission", access_inherit: false });
  expect(reply.json.meta.children_count).toEqual({ total: 3, galleries: 0, collections: 3 });
  for (const path of ["child-count", "count", "children/count"]) {
    expect((await v4(`/collections/${COLLECTIONS.regionEmea}/${path}`)).json.meta.children_count).toEqual({ total: 2, galleries: 2, collections: 0 });
  }
  const child = await v4(`/collections/${COLLECTIONS.regions}/children/${COLLECTIONS.regionApac}`);
  expect(child.json.data.attributes.name).toBe("APAC");
});

it("include= nests related data inside each resource under includes.<name>.data", async () => {
  const reply = await v4(`/collections/${COLLECTIONS.regionEmea}?include=parent,child-count,path,permissions,key-image`);
  const includes = reply.json.data.includes;
  expect(includes.parent.data).toMatchObject({ id: COLLECTIONS.regions, type: "collection", attributes: { name: "Regions" } });
  expect(includes["child-count"].data.attributes).toEqual({ total: 2, galleries: 2, collections: 0 });
  expect(includes.path.data.map((c: { id: string }) => c.id)).toEqual([COLLECTIONS.regions]);
  expect(includes.permissions.data).toMatchObject({ type: "permissions", attributes: { mode: "permission", native: [], inherited: [{ collection_id: COLLECTIONS.regions, permissions: [] }] } });
  expect(includes["key-image"].data).toMatchObject({ type: "keyImage", attributes: { image_id: expect.any(String) } });
  expect(reply.json.included).toBeUndefined();
  // Nested resources do not nest again.
  expect(includes.parent.data.includes).toBeUndefined();

  const children = await v4(`/galleries/${GALLERY_LIST[2].id}/children?per_page=3&include=iptc,custom-metadata,media`);
  const first = children.json.data[0];
  expect(Object.keys(first.attributes).sort()).toEqual(["created_at", "display_order", "modified_at"]);
  expect(first.includes.iptc.data.attributes.caption).toEqual(expect.any(String));
  expect(first.includes.media.data.attributes.file_name).toEqual(expect.any(String));
  const names = first.includes["custom-metadata"].data.attributes.custom_metadata.map((f: { name: string }) => f.name);
  expect(names).toEqual(expect.arrayContaining(["Approval Status", "Usage Rights", "License Expiration Date", "Asset Version", "Product Line", "Region", "Industry", "Tier"]));
});

describe("paging", () => {
  const gallery = GALLERY_LIST[2].id;

  it("walks first, middle and last pages with meta.paging links, and beyond the end is empty", async () => {
    const total = photoShelterOf(ps.server.context).library.get(gallery)!.media.length;
    expect(total).toBeGreaterThan(6);
    const first = await v4(`/galleries/${gallery}/children?per_page=5&page=1`);
    expect(first.json.data).toHaveLength(5);
    expect(first.json.meta.paging).toMatchObject({ total, page: 1, per_page: 5, prev: null });
    expect(first.json.meta.paging.next).toContain("page=2");
    const lastPage = Math.ceil(total / 5);
    expect(first.json.meta.paging.last).toContain(`page=${lastPage}`);
    const last = await v4(`/galleries/${gallery}/children?per_page=5&page=${lastPage}`);
    expect(last.json.data).toHaveLength(total - (lastPage - 1) * 5);
    expect(last.json.meta.paging.next).toBeNull();
    const beyond = await v4(`/galleries/${gallery}/children?per_page=5&page=${lastPage + 1}`);
    expect(beyond.status).toBe(200);
    expect(beyond.json.data).toEqual([]);
    const all = new Set<string>();
    for (let page = 1; page <= lastPage; page++) for (const item of (await v4(`/galleries/${gallery}/children?per_page=5&page=${page}`)).json.data) all.add(item.id);
    expect(all.size).toBe(total);
  });

  it("caps per_page above the maximum at 1000 and rejects bad values", async () => {
    const big = await v4("/search?per_page=5000");
    expect(big.json.meta.paging.per_page).toBe(1000);
    expect(big.json.data).toHaveLength(300);
    expect((await v4("/search?per_page=abc")).status).toBe(400);
    expect((await v4("/search?per_page=0")).status).toBe(400);
    const deep = await v4("/search?page=1000");
    expect(deep.status).toBe(400);
    expect(deep.json.errors[0].id).toBe("BadRequestException");
  });

  it("page 0 reads as the first page (the draft's default)", async () => {
    const zero = await v4(`/galleries/${gallery}/children?per_page=2&page=0`);
    const one = await v4(`/galleries/${gallery}/children?per_page=2&page=1`);
    expect(zero.json.data).toEqual(one.json.data);
  });
});

it("gallery children sort by file_name both ways and reject unknown sort keys", async () => {
  const gallery = GALLERY_LIST[3].id;
  const names = async (direction: string) => {
    const reply = await v4(`/galleries/${gallery}/children?per_page=1000&sort_by=file_name&sort_direction=${direction}&include=media`);
    return reply.json.data.map((c: { includes: { media: { data: { attributes: { file_name: string } } } } }) => c.includes.media.data.attributes.file_name);
  };
  const ascending = await names("ascending");
  expect(ascending).toEqual([...ascending].sort((a, b) => a.localeCompare(b)));
  expect(await names("descending")).toEqual([...ascending].reverse());
  expect((await v4(`/galleries/${gallery}/children?sort_by=colour`)).status).toBe(400);
});

it("gallery child-count, cover, key image (both spellings, no token needed) and permissions (both spellings)", async () => {
  const gallery = photoShelterOf(ps.server.context).library.get(GALLERY_LIST[2].id)!;
  const counts = (await v4(`/galleries/${gallery.id}/child-count`)).json.meta.children_count;
  expect(counts.total).toBe(gallery.media.length);
  expect(counts.images + counts.videos + counts.audio + counts.documents).toBe(counts.total);
  expect((await v4(`/galleries/${gallery.id}/children/count`)).json.meta.children_count).toEqual(counts);
  const cover = await v4(`/galleries/${gallery.id}/cover`);
  expect(cover.json.data).toHaveLength(4);
  for (const spelling of ["key-image", "key_image"]) {
    const key = await ps.get(`/psapi/v4.0/galleries/${gallery.id}/${spelling}`);
    expect(key.status).toBe(200);
    expect(key.json.data.attributes.gallery_id).toBe(gallery.id);
    const image = await ps.get(new URL(key.json.data.attributes.image_url).pathname, { apiKey: null });
    expect(image.headers.get("content-type")).toBe("image/jpeg");
  }
  for (const spelling of ["permissions", "permission"]) {
    const permissions = await v4(`/galleries/${gallery.id}/${spelling}`);
    expect(permissions.json.data).toMatchObject({ id: gallery.id, type: "permissions", attributes: { native_mode: "permission" } });
    expect(permissions.json.data.attributes.inherited.map((i: { collection_id: string }) => i.collection_id)).toEqual([COLLECTIONS.brand, COLLECTIONS.brandProductImagery]);
  }
});

it("collections filter by name (exact or partial) and parent", async () => {
  expect((await v4("/collections?name=EMEA")).json.data.map((c: { id: string }) => c.id)).toEqual([COLLECTIONS.regionEmea]);
  expect((await v4("/collections?name=emea")).json.data).toEqual([]);
  expect((await v4("/collections?name=emea&match=false")).json.data).toHaveLength(1);
  expect((await v4("/collections?parent=")).json.data).toHaveLength(7);
  expect((await v4(`/collections?parent=${COLLECTIONS.industries}`)).json.data).toHaveLength(5);
  expect((await v4(`/galleries?parent=${COLLECTIONS.regionApac}`)).json.data).toHaveLength(2);
  expect((await v4("/galleries?name=inbox")).json.data[0].id).toBe(GALLERIES.caseEvidenceInbox);
});

it("collection parent, link and 404s in PhotoShelter's error shape", async () => {
  expect((await v4(`/collections/${COLLECTIONS.regionNorthAmerica}/parent`)).json.data.id).toBe(COLLECTIONS.regions);
  expect((await v4(`/collections/${COLLECTIONS.regions}/parent`)).json.data).toEqual([]);
  expect((await v4(`/collections/${COLLECTIONS.brand}/link`)).json.data).toMatchObject({ type: "link", attributes: { url: expect.stringContaining(COLLECTIONS.brand) } });
  const missing = await v4("/collections/C0000NoSuchColl1");
  expect(missing.status).toBe(404);
  expect(missing.json).toEqual({ errors: [{ id: "ResourceNotFoundException", status: "404", title: "Resource not found", detail: expect.any(String) }] });
  expect((await v4(`/galleries/${COLLECTIONS.brand}`)).status).toBe(404);
});

it("without a token only public containers are visible, and private ones answer AcsPermissionException", async () => {
  const privateCollection = await ps.get(`/psapi/v4.0/collections/${COLLECTIONS.campaigns}`);
  expect(privateCollection.status).toBe(401);
  expect(privateCollection.json.errors[0].title).toBe("Invalid access to resource: Collection");
  const ownerView = await v4(`/collections/${COLLECTIONS.campaigns}`);
  expect(ownerView.json.data.attributes.access_id).toEqual(expect.any(String));
});

it("every region gallery holds only assets whose Region metadata is that region", async () => {
  const state = photoShelterOf(ps.server.context);
  for (const region of REGIONS) {
    for (const gallery of GALLERY_LIST.filter((g) => g.purpose.kind === "region" && g.purpose.region === region)) {
      const reply = await v4(`/search?galleries=${gallery.id}&per_page=1000&include=custom-metadata`);
      expect(reply.json.data.length).toBe(state.library.get(gallery.id)!.media.length);
      for (const item of reply.json.data) {
        const regionField = item.includes["custom-metadata"].data.attributes.custom_metadata.find((f: { name: string }) => f.name === "Region");
        expect(regionField.value).toBe(region);
      }
    }
  }
});

it("a gallery in a restricted and a public collection is denied without context and opened by collection_id of the public one", async () => {
  const library = photoShelterOf(ps.server.context).library;
  const showcase = library.createContainer("collection", { name: "Public showcase", mode: "everyone" });
  const gallery = library.get(GALLERIES.corporateLogos)!;
  gallery.parentIds.push(showcase.id);
  try {
    expect((await ps.get(`/psapi/v4.0/galleries/${gallery.id}`)).status).toBe(401);
    expect((await ps.get(`/psapi/v4.0/galleries/${gallery.id}?collection_id=${showcase.id}`)).status).toBe(200);
    expect((await ps.get(`/psapi/v4.0/galleries/${gallery.id}/children?collection_id=${showcase.id}`)).json.data.length).toBe(gallery.media.length);
    expect((await ps.get(`/psapi/v4.0/galleries/${gallery.id}?collection_id=${COLLECTIONS.brandLogos}`)).status).toBe(401);
  } finally {
    gallery.parentIds.pop();
  }
});

it("answers one gallery child by id, and the [low]-listed path, parents, access and link reads", async () => {
  const gallery = photoShelterOf(ps.server.context).library.get(GALLERY_LIST[2].id)!;
  const mediaId = photoShelterOf(ps.server.context).library.media[gallery.media[1] - 1].id;
  const child = await v4(`/galleries/${gallery.id}/children/${mediaId}`);
  expect(child.json.data).toMatchObject({ id: mediaId, attributes: { display_order: 2 } });
  expect((await v4(`/galleries/${gallery.id}/children/I000000000099999`)).status).toBe(404);
  expect((await v4(`/galleries/${gallery.id}/path`)).json.data.map((c: { id: string }) => c.id)).toEqual([COLLECTIONS.brand, COLLECTIONS.brandProductImagery]);
  expect((await v4(`/galleries/${gallery.id}/parents`)).json.data.map((c: { id: string }) => c.id)).toEqual([COLLECTIONS.brandProductImagery]);
  expect((await v4(`/galleries/${gallery.id}/access`)).json.data.type).toBe("permissions");
  expect((await v4(`/collections/${COLLECTIONS.brand}/permissions`)).json.data).toMatchObject({ id: COLLECTIONS.brand, attributes: { native_mode: "permission" } });
  expect((await v4(`/galleries/${gallery.id}/link`)).json.data.attributes.url).toContain(gallery.id);
});
