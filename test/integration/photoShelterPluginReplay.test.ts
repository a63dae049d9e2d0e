/**
 * Replays against the mock PhotoShelter the requests PhotoShelter's own WordPress plugin
 * ("PhotoShelter Importer" 1.0.5, WordPress.org SVN mirror `common-repository/photoshelter-importer`)
 * sends to the live v4 API, with its headers and body encodings, and asserts every field the plugin
 * reads from each answer. File paths below are in that repository:
 *
 * - PHP side (settings screen, OAuth callback, sideload): `includes/functions/admin.php`,
 *   `includes/functions/rest-api.php`, `includes/classes/API/RemoteSource.php` (headers; JSON bodies),
 *   `includes/classes/API/ClientRemote.php` (only HTTP 200 is success; errors read `errors[0].title`),
 *   `includes/classes/API/OAuth/DataSource.php`, `includes/classes/API/Auth/DataSource.php`,
 *   `includes/classes/API/User/DataSource.php`.
 * - Browser side (the library screen): `assets/dist/js/library.js` (compiled): `requestDefaults`
 *   headers, the `photoshelter-importer-library` store (library, collections, galleries, media), the
 *   search store (`media?terms=…`) and the token refresh.
 */
import { photoShelterOf } from "../../mock-server/photoshelter";
import { ORGANIZATION } from "../../mock-server/photoshelter/wellKnown";
import { PhotoShelterTestClient, decodeImage, startPhotoShelter } from "./mockPhotoShelterHelpers";

let ps: PhotoShelterTestClient;
beforeAll(async () => {
  ps = await startPhotoShelter(400, 77);
});
afterAll(() => ps.server.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

const v4 = () => `${ps.url}/psapi/v4.0/`;

/** RemoteSource.php remote_request(): JSON in, JSON out; Bearer and X-PS-Auth-Token carry the same OAuth token. */
async function php(method: "GET" | "POST", path: string, options: { token?: string; body?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = {
    Accept: "application/json",
    "Cache-Control": "no-store, private",
    "Content-Type": "application/json; charset=UTF-8",
    pragma: "no-cache",
    "User-Agent": "PS-WordPress-Plugin",
    "X-PS-Api-Key": ps.apiKey,
  };
  if (options.token) {
    headers.Authorization = `Bearer ${options.token}`;
    headers["X-PS-Auth-Token"] = options.token;
  }
  // api_request_post() sends wp_json_encode($args['body']).
  const response = await fetch(v4() + path, { method, headers, body: method === "POST" ? JSON.stringify(options.body ?? {}) : undefined });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** library.js requestDefaults: Content-Type application/json, X-PS-Api-Key and the Bearer token, GET, cors. */
async function browser(url: string, token: string): Promise<Answer> {
  const response = await fetch(url, { method: "GET", cache: "no-cache", headers: { "Content-Type": "application/json", "X-PS-Api-Key": ps.apiKey, Authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** library.js `L()`: checkStatus (2xx) then `response.data`. */
async function data(url: string, token: string): Promise<Json> {
  const answer = await browser(url, token);
  expect({ url, status: answer.status }).toEqual({ url, status: 200 });
  return answer.body.data;
}

/** library.js `b()`: checkStatus (2xx) then the whole body (for `meta.children_count` and cover lists). */
async function whole(url: string, token: string): Promise<Json> {
  const answer = await browser(url, token);
  expect({ url, status: answer.status }).toEqual({ url, status: 200 });
  return answer.body;
}

/** A CDN picture the plugin builds from an id (`https://m.psecn.photoshelter.com/img-get2/%s/fill=%dx%d`). */
async function cdnPicture(id: string, fill: string): Promise<{ width: number; height: number }> {
  const response = await fetch(`${ps.url}/img-get2/${id}/fill=${fill}`);
  expect(response.status).toBe(200);
  return decodeImage(Buffer.from(await response.arrayBuffer()));
}

const REDIRECT_URI = "https://blog.example.com/wp-json/photoshelter/v1/importer/auth";
const isCount = (value: unknown) => typeof value === "number" && Number.isInteger(value) && value >= 0;

describe("PhotoShelter's WordPress plugin, request by request", () => {
  let clientId: string;
  let clientSecret: string;
  let accessToken: string;
  let refreshToken: string;
  let userId: string;

  it("registers the application: 200 with data.attributes.client_id and client_secret", async () => {
    // admin.php register_application(): application_name and name truncated to 80 characters ("API limit").
    const name = "PhotoShelter Importer on A Very Long WordPress Blog Name That Goes On And On Beyond Eighty";
    const reply = await php("POST", "oauth/register", {
      body: { application_name: name.slice(0, 80), description: name.slice(0, 80), name: "A Very Long WordPress Blog", email: "admin@blog.example.com", redirect_uri: REDIRECT_URI },
    });
    // ClientRemote.php handle_response(): anything but 200 is a WP_Error.
    expect(reply.status).toBe(200);
    clientId = reply.body.data.attributes.client_id;
    clientSecret = reply.body.data.attributes.client_secret;
    expect(clientId).toEqual(expect.any(String));
    expect(clientSecret).toEqual(expect.any(String));
  });

  it("authorizes in the browser and exchanges the code for flat access_token, expires_in and refresh_token", async () => {
    // rest-api.php get_oauth_register_endpoint_url(): the api key rides in the query; state=photoshelter.
    const query = new URLSearchParams({ api_key: ps.apiKey, client_id: clientId, redirect_uri: REDIRECT_URI, response_type: "code", state: "photoshelter" });
    const form = await fetch(`${v4()}oauth/authorize?${query}`);
    expect(form.status).toBe(200);
    const { psEmail, psPassword } = ps.server.context.settings;
    const approve = await fetch(`${v4()}oauth/authorize?api_key=${ps.apiKey}`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: REDIRECT_URI, state: "photoshelter", email: psEmail, password: psPassword }),
    });
    expect(approve.status).toBe(302);
    const callback = new URL(approve.headers.get("location")!);
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    expect(callback.searchParams.get("state")).toBe("photoshelter");
    // rest-api.php handle_importer_auth_callback() → OAuth/DataSource.php token(): JSON body.
    const token = await php("POST", "oauth/token", { body: { client_id: clientId, client_secret: clientSecret, code: callback.searchParams.get("code")!, redirect_uri: REDIRECT_URI, grant_type: "authorization_code" } });
    expect(token.status).toBe(200);
    accessToken = token.body.access_token;
    refreshToken = token.body.refresh_token;
    expect(accessToken).toEqual(expect.any(String));
    expect(refreshToken).toEqual(expect.any(String));
    expect(token.body.expires_in).toEqual(expect.any(Number));
  });

  it("reads the user session: data.id", async () => {
    // rest-api.php handle_importer_auth_callback() → User/DataSource.php get_session().
    const session = await php("GET", "user/session", { token: accessToken });
    expect(session.status).toBe(200);
    userId = session.body.data.id;
    expect(userId).toMatch(/^U0000[a-zA-Z0-9._]{11}$/);
  });

  it("switches into the organization with a JSON org_id (200) and reads the organization's name from v3", async () => {
    // admin.php process_organization() → Auth/DataSource.php authenticate_organization().
    const org = await php("POST", "organization/authenticate", { token: accessToken, body: { org_id: ORGANIZATION.id } });
    expect(org.status).toBe(200);
    // …and Organization_Client get_organization_name(): GET /psapi/v3/organization/{org_id} with the v3 key.
    const v3 = await fetch(`${ps.url}/psapi/v3/organization/${ORGANIZATION.id}?api_key=${ps.apiKey}`);
    const v3Body = (await v3.json()) as Json;
    expect(v3Body.status).toBe("ok");
    expect(v3Body.data.Organization.name).toBe(ORGANIZATION.name);
  });

  it("lists the library and, per container, key image, child counts and cover as the library screen does", async () => {
    // library.js store resolver getLibrary: /library?sort_by=name&sort_direction=ascending, then per item
    // k() key-image + O() child-count for collections, w() cover + T() child-count for galleries.
    const items: Json[] = await data(`${v4()}library?sort_by=name&sort_direction=ascending`, accessToken);
    expect(Array.isArray(items)).toBe(true);
    expect(items.length).toBeGreaterThan(0);
    const names = items.map((item) => item.attributes.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    for (const item of items) {
      expect(["collection", "gallery"]).toContain(item.type);
      expect(item.id).toMatch(/^[CG][0-9A-Za-z._]{15}$/);
      expect(item.attributes.name).toEqual(expect.any(String));
    }
    const collection = items.find((item) => item.type === "collection")!;
    const keyImage = await whole(`${v4()}collections/${collection.id}/key-image`, accessToken);
    expect(keyImage.data.id).toMatch(/^I0000/);
    // The key image id becomes a CDN URL with fill=440x440.
    expect(await cdnPicture(keyImage.data.id, "440x440")).toMatchObject({ width: 440, height: 440 });
    const counts = (await whole(`${v4()}collections/${collection.id}/child-count`, accessToken)).meta.children_count;
    expect(isCount(counts.collections) && isCount(counts.galleries) && isCount(counts.total)).toBe(true);
    expect(counts.total).toBe(counts.collections + counts.galleries);
    // user/invites: an array of collections and galleries shared with the user (empty here).
    expect(Array.isArray(await data(`${v4()}user/invites`, accessToken))).toBe(true);
  });

  it("walks a collection's children down to galleries: names, children, covers and per-type counts", async () => {
    // getCollection: /collections/{id} (attributes.name for the breadcrumb) and G(): /collections/{id}/children.
    const roots: Json[] = await data(`${v4()}library?sort_by=name&sort_direction=ascending`, accessToken);
    const industries = roots.find((item) => item.attributes.name === "Industries")!;
    const collection = await data(`${v4()}collections/${industries.id}`, accessToken);
    expect(collection.attributes.name).toBe("Industries");
    const children: Json[] = (await whole(`${v4()}collections/${industries.id}/children`, accessToken)).data;
    expect(children.length).toBeGreaterThan(0);
    const healthcare = children.find((c) => c.type === "collection")!;
    const galleries: Json[] = (await whole(`${v4()}collections/${healthcare.id}/children`, accessToken)).data;
    expect(galleries.every((g) => g.type === "gallery")).toBe(true);
    for (const gallery of galleries) {
      const cover: Json[] = (await whole(`${v4()}galleries/${gallery.id}/cover`, accessToken)).data;
      expect(Array.isArray(cover)).toBe(true);
      expect(cover.length).toBeLessThanOrEqual(4);
      for (const media of cover.filter((m) => m.type === "image")) expect(await cdnPicture(media.id, "400x400")).toMatchObject({ width: 400, height: 400 });
      const counts = (await whole(`${v4()}galleries/${gallery.id}/child-count`, accessToken)).meta.children_count;
      for (const key of ["audio", "documents", "images", "total", "videos"]) expect({ key, ok: isCount(counts[key]) }).toEqual({ key, ok: true });
      expect(counts.total).toBe(counts.audio + counts.documents + counts.images + counts.videos);
      // With window.PhotoShelterImporter.topCollection set, the same calls carry collection_id.
      const inContext = (await whole(`${v4()}galleries/${gallery.id}/child-count?collection_id=${healthcare.id}`, accessToken)).meta.children_count;
      expect(inContext).toEqual(counts);
    }
  });

  it("opens a gallery: name, children, and per media its type, file name, size, IPTC or metadata and link", async () => {
    const library = photoShelterOf(ps.server.context).library;
    // A gallery with every kind of file the plugin treats differently.
    const gallery = [...library.containers.values()].find((c) => c.kind === "gallery" && ["image", "video", "audio", "document"].every((t) => c.media.some((n) => library.media[n - 1].type === t)))!;
    // getGallery → C(): /galleries/{id} (attributes.name), F(): /galleries/{id}/children.
    expect((await data(`${v4()}galleries/${gallery.id}`, accessToken)).attributes.name).toBe(gallery.name);
    const children: Json[] = await data(`${v4()}galleries/${gallery.id}/children`, accessToken);
    expect(children.map((c) => c.id)).toEqual(gallery.media.slice(0, 50).map((n) => library.media[n - 1].id));
    const seen = new Set<string>();
    for (const child of children) {
      expect(["image", "video", "audio", "document"]).toContain(child.type);
      // E(): /media/{id}, then /iptc for images (author, caption) or /metadata for the rest (author).
      const media = await data(`${v4()}media/${child.id}`, accessToken);
      expect(media.type).toBe(child.type);
      expect(media.attributes.file_name).toMatch(/\.(png|pdf|wav|mp4)$/);
      // The attachment details view reads file_size, width, height and modified_at (moment, "MMM D, Y").
      expect(media.attributes.file_size).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(media.attributes.modified_at))).toBe(false);
      if (media.type === "image") {
        const iptc = await data(`${v4()}media/${child.id}/iptc`, accessToken);
        expect(iptc.attributes.author).toEqual(expect.any(String));
        expect(iptc.attributes.caption).toEqual(expect.any(String));
        expect(media.attributes.width).toBeGreaterThan(0);
        expect(media.attributes.height).toBeGreaterThan(0);
      } else {
        const metadata = await data(`${v4()}media/${child.id}/metadata`, accessToken);
        expect(metadata.attributes.author).toEqual(expect.any(String));
        if (media.type === "video" || media.type === "audio") {
          // F(): N() /metadata → JSON.parse(attributes.raw) as `meta` (format.duration), A() /link → attributes.link as `src`.
          const raw = JSON.parse(metadata.attributes.raw);
          expect(Number(raw.format.duration)).toBeGreaterThan(0);
          const link = await data(`${v4()}media/${child.id}/link`, accessToken);
          const file = await fetch(link.attributes.link);
          expect(file.status).toBe(200);
          expect(file.headers.get("content-type")).toBe(media.type === "video" ? "video/mp4" : "audio/wav");
        }
      }
      seen.add(media.type);
    }
    expect(seen).toEqual(new Set(["image", "video", "audio", "document"]));
  });

  it("searches with media?terms=…&user_id=…&org_id=… and reads id, type and attributes.file_name", async () => {
    // Search store doSearch(): user_id and org_id appended from window.PhotoShelterImporter.
    const url = new URL(`${v4()}media?terms=logo`);
    url.searchParams.append("user_id", userId);
    url.searchParams.append("org_id", ORGANIZATION.id);
    const results: Json[] = await data(url.toString(), accessToken);
    expect(results.length).toBeGreaterThan(0);
    for (const item of results) {
      expect(item.id).toMatch(/^(I0|VD|AD|DO)000/);
      expect(["image", "video", "audio", "document"]).toContain(item.type);
      expect(item.attributes.file_name).toEqual(expect.any(String));
    }
  });

  it("sideloads: reads data.attributes.file_name, then downloads the original or a JPEG of the chosen size", async () => {
    // rest-api.php handle_importer_sideload(): get_media() must carry data.attributes.file_name, then
    // download_media() with the plugin's file_type/file_quality mapping (original, or jpeg at 4800/2400/1200/600).
    const image = photoShelterOf(ps.server.context).library.media.find((m) => m.type === "image" && Math.max(m.width!, m.height!) > 1200)!;
    const info = await php("GET", `media/${image.id}`, { token: accessToken });
    expect(info.status).toBe(200);
    expect(info.body.data.attributes.file_name).toBe(image.fileName);
    const original = await fetch(`${v4()}media/${image.id}/download?download_filetype=original&download_quality=original`, { headers: { "X-PS-Api-Key": ps.apiKey, Authorization: `Bearer ${accessToken}`, "X-PS-Auth-Token": accessToken } });
    expect(original.status).toBe(200);
    expect(original.headers.get("content-type")).toBe("image/png");
    const medium = await fetch(`${v4()}media/${image.id}/download?download_filetype=jpeg&download_quality=1200`, { headers: { "X-PS-Api-Key": ps.apiKey, Authorization: `Bearer ${accessToken}`, "X-PS-Auth-Token": accessToken } });
    expect(medium.headers.get("content-type")).toBe("image/jpeg");
    const pixels = decodeImage(Buffer.from(await medium.arrayBuffer()));
    expect(Math.max(pixels.width, pixels.height)).toBe(1200);
  });

  it("recognises an expired token by errors[].id OAuthServerException and refreshes with a form-encoded body", async () => {
    await ps.call("POST", "/__admin/photoshelter/tokens/expire", { json: { token: accessToken } });
    // library.js catchKnownErrors(): errors[] with id "OAuthServerException" → "sending refresh request";
    // ClientRemote.php shows errors[0].title.
    const expired = await browser(`${v4()}library?sort_by=name&sort_direction=ascending`, accessToken);
    expect(expired.status).toBe(401);
    expect(expired.body.errors[0].id).toBe("OAuthServerException");
    expect(expired.body.errors[0].title).toEqual(expect.any(String));
    // The refresh (library.js, module with `grant_type: "refresh_token"`): x-ps-api-key, urlencoded, redirect_uri = the REST callback.
    const response = await fetch(`${v4()}oauth/token`, {
      method: "POST",
      headers: { "x-ps-api-key": ps.apiKey, "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8" },
      body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken, grant_type: "refresh_token", redirect_uri: REDIRECT_URI }).toString(),
    });
    expect(response.status).toBe(200);
    const refreshed = (await response.json()) as Json;
    expect(refreshed).toMatchObject({ access_token: expect.any(String), expires_in: expect.any(Number), refresh_token: expect.any(String) });
    // The new token reaches the library again (organization switch is per token, so it starts in the user's own account).
    expect((await browser(`${v4()}user/session`, refreshed.access_token)).status).toBe(200);
  });
});
