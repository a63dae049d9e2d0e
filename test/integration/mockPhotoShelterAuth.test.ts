/** Mock PhotoShelter authentication: api key, member tokens, OAuth 2, organization context. */
import { adminOf } from "../../mock-server/admin";
import { photoShelterOf } from "../../mock-server/photoshelter";
import { GALLERIES, ORGANIZATION } from "../../mock-server/photoshelter/wellKnown";
import { PhotoShelterTestClient, startPhotoShelter } from "./mockPhotoShelterHelpers";

let ps: PhotoShelterTestClient;
beforeAll(async () => {
  ps = await startPhotoShelter();
});
afterAll(() => ps.server.close());

describe("api key", () => {
  it("answers 403 ApiKeyInvalidException without a key, on v4 and v3", async () => {
    const v4 = await ps.get("/psapi/v4.0/library", { apiKey: null });
    expect(v4.status).toBe(403);
    expect(v4.json).toEqual({ errors: [{ id: "ApiKeyInvalidException", status: "403", title: "Missing or invalid API key", detail: "Missing or invalid API key" }] });
    const v3 = await ps.get("/psapi/v3/mem/user/session", { apiKey: null });
    expect(v3.status).toBe(403);
    expect(v3.json).toMatchObject({ status: "error", error: { code: "ApiKeyInvalidException" } });
  });

  it("rejects a wrong key and accepts the key as api_key query parameter", async () => {
    expect((await ps.get("/psapi/v4.0/library", { apiKey: "wrong-key" })).status).toBe(403);
    const viaQuery = await ps.get(`/psapi/v4.0/library?api_key=${encodeURIComponent(ps.apiKey)}`, { apiKey: null });
    expect(viaQuery.status).toBe(401); // past the key check, now the member check
  });
});

describe("member calls", () => {
  it("answer 401 AcsPermissionException with WWW-Authenticate: Bearer when no token is sent", async () => {
    const reply = await ps.get("/psapi/v4.0/search?terms=logo");
    expect(reply.status).toBe(401);
    expect(reply.headers.get("www-authenticate")).toBe("Bearer");
    expect(reply.json.errors[0]).toMatchObject({ id: "AcsPermissionException", status: "401" });
  });

  it("accept the session token as X-PS-Auth-Token or as Bearer", async () => {
    const token = await ps.signIn();
    expect((await ps.get("/psapi/v4.0/library", { headers: { "x-ps-auth-token": token } })).status).toBe(200);
    expect((await ps.get("/psapi/v4.0/library", { token })).status).toBe(200);
  });

  it("rejects wrong credentials and missing fields on /authenticate", async () => {
    const wrong = await ps.call("POST", "/psapi/v4.0/authenticate", { form: { email: ps.server.context.settings.psEmail, password: "nope", mode: "token" } });
    expect(wrong.status).toBe(401);
    const missing = await ps.call("POST", "/psapi/v4.0/authenticate", { form: { email: "a@b.c" } });
    expect(missing.status).toBe(400);
    expect(missing.json.errors[0].id).toBe("BadRequestException");
  });

  it("returns top-level token, org and two_factor, and logout ends the session", async () => {
    const { psEmail, psPassword } = ps.server.context.settings;
    const login = await ps.call("POST", "/psapi/v4.0/authenticate", { form: { email: psEmail, password: psPassword, mode: "token" } });
    expect(login.json).toMatchObject({ token: expect.any(String), org: [{ id: ORGANIZATION.id, name: ORGANIZATION.name }], two_factor: false });
    const token = login.json.token;
    expect((await ps.call("POST", "/psapi/v4.0/authenticate/logout", { headers: { "x-ps-auth-token": token } })).status).toBe(200);
    const after = await ps.get("/psapi/v4.0/user/session", { headers: { "x-ps-auth-token": token } });
    expect(after.status).toBe(401);
    expect(after.json.errors[0].id).toBe("AcsPermissionException");
  });

  it("cookie mode sets a session cookie that authenticates later calls", async () => {
    const { psEmail, psPassword } = ps.server.context.settings;
    const login = await ps.call("POST", "/psapi/v4.0/authenticate", { form: { email: psEmail, password: psPassword, mode: "cookie" } });
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    expect(login.json.token).toBeUndefined();
    expect((await ps.get("/psapi/v4.0/user/session", { headers: { cookie } })).status).toBe(200);
  });
});

describe("organization context", () => {
  it("is kept per token: the library is empty until the token is switched into the organization", async () => {
    const token = await ps.signIn(false);
    expect((await ps.get("/psapi/v4.0/library", { token })).json.data).toEqual([]);
    const firstMedia = photoShelterOf(ps.server.context).library.media[0].id;
    expect((await ps.get(`/psapi/v4.0/media/${firstMedia}`, { token })).status).toBe(401);
    const other = await ps.signIn(true);
    expect((await ps.get("/psapi/v4.0/library", { token: other })).json.data.length).toBeGreaterThan(0);
    // The first token is still outside the organization.
    expect((await ps.get("/psapi/v4.0/library", { token })).json.data).toEqual([]);
    await ps.call("POST", "/psapi/v4.0/organization/authenticate", { token, json: { org_id: ORGANIZATION.id } });
    expect((await ps.get("/psapi/v4.0/library", { token })).json.data.length).toBeGreaterThan(0);
    await ps.call("POST", "/psapi/v4.0/organization/logout", { token });
    expect((await ps.get("/psapi/v4.0/library", { token })).json.data).toEqual([]);
  });

  it("org_id on search reaches the organization's media without switching", async () => {
    const token = await ps.signIn(false);
    // Outside the organization only public media (the press kit gallery) are found.
    const publicImages = photoShelterOf(ps.server.context).library.get(GALLERIES.pressLogos)!.media.length;
    expect((await ps.get("/psapi/v4.0/search?media_type=image", { token })).json.meta.paging.total).toBe(publicImages);
    expect((await ps.get(`/psapi/v4.0/search?media_type=image&org_id=${ORGANIZATION.id}`, { token })).json.meta.paging.total).toBeGreaterThan(publicImages);
  });

  it("refuses an organization the member does not belong to", async () => {
    const token = await ps.signIn(false);
    const reply = await ps.call("POST", "/psapi/v4.0/organization/authenticate", { token, form: { org_id: "O0000NotMine0001" } });
    expect(reply.status).toBe(401);
    expect(reply.json.errors[0].id).toBe("AcsPermissionException");
  });

  it("user/session names the user and, with include=organizations, the organizations", async () => {
    const token = await ps.signIn();
    const reply = await ps.get("/psapi/v4.0/user/session?include=organizations", { token });
    expect(reply.json.data.attributes).toMatchObject({ email: ps.server.context.settings.psEmail, org_id: ORGANIZATION.id });
    expect(reply.json.data.includes.organizations.data[0]).toMatchObject({ id: ORGANIZATION.id, type: "organization" });
  });
});

describe("OAuth 2", () => {
  const redirectUri = "https://app.example.com/callback";

  async function register(): Promise<{ clientId: string; clientSecret: string }> {
    const reply = await ps.call("POST", "/psapi/v4.0/oauth/register", {
      json: { application_name: "Dynamics connector", description: "test", email: "dev@example.com", name: "Dev", redirect_uri: redirectUri },
    });
    // 200 (spec paths/oauthRegister.yaml); the WordPress plugin's ClientRemote.php rejects anything else.
    expect(reply.status).toBe(200);
    expect(reply.json.data).toMatchObject({ type: "oAuthClient", id: expect.stringMatching(/^OAC00.{11}$/) });
    return { clientId: reply.json.data.attributes.client_id, clientSecret: reply.json.data.attributes.client_secret };
  }

  async function authorize(clientId: string): Promise<string> {
    const form = await ps.get(`/psapi/v4.0/oauth/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent(redirectUri)}&state=xyz&api_key=${ps.apiKey}`, { apiKey: null });
    expect(form.status).toBe(200);
    expect(form.bytes.toString()).toContain("<form");
    const { psEmail, psPassword } = ps.server.context.settings;
    const approve = await ps.call("POST", `/psapi/v4.0/oauth/authorize?api_key=${ps.apiKey}`, {
      apiKey: null,
      form: { response_type: "code", client_id: clientId, redirect_uri: redirectUri, state: "xyz", email: psEmail, password: psPassword },
    });
    expect(approve.status).toBe(302);
    const location = new URL(approve.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get("state")).toBe("xyz");
    return location.searchParams.get("code")!;
  }

  it("registers, authorizes, exchanges the code, refreshes, and the access token works as Bearer", async () => {
    const { clientId, clientSecret } = await register();
    const code = await authorize(clientId);
    const tokens = await ps.call("POST", "/psapi/v4.0/oauth/token", { form: { grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: clientId, client_secret: clientSecret } });
    expect(tokens.status).toBe(200);
    expect(tokens.json).toEqual({ access_token: expect.any(String), refresh_token: expect.any(String), expires_in: 3600, token_type: "Bearer" });
    expect((await ps.get("/psapi/v4.0/user/session", { token: tokens.json.access_token })).json.data.attributes.auth_type).toBe("oauth");
    // The code is single-use.
    const again = await ps.call("POST", "/psapi/v4.0/oauth/token", { json: { grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: clientId, client_secret: clientSecret } });
    expect(again.json.errors[0].id).toBe("OAuthServerException");
    const refreshed = await ps.call("POST", "/psapi/v4.0/oauth/token", { form: { grant_type: "refresh_token", refresh_token: tokens.json.refresh_token, client_id: clientId, client_secret: clientSecret, redirect_uri: redirectUri } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.access_token).not.toBe(tokens.json.access_token);
    expect((await ps.get("/psapi/v4.0/user/session", { token: refreshed.json.access_token })).status).toBe(200);
  });

  it("an expired access token answers 401 OAuthServerException; refreshing recovers", async () => {
    const { clientId, clientSecret } = await register();
    const code = await authorize(clientId);
    const tokens = (await ps.call("POST", "/psapi/v4.0/oauth/token", { form: { grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: clientId, client_secret: clientSecret } })).json;
    const expire = await ps.call("POST", "/__admin/photoshelter/tokens/expire", { json: { token: tokens.access_token } });
    expect(expire.json.expired).toBe(1);
    const reply = await ps.get("/psapi/v4.0/user/session", { token: tokens.access_token });
    expect(reply.status).toBe(401);
    expect(reply.json.errors[0]).toMatchObject({ id: "OAuthServerException", detail: "Access token has expired" });
    expect(reply.headers.get("www-authenticate")).toContain("Bearer");
    const refreshed = await ps.call("POST", "/psapi/v4.0/oauth/token", { form: { grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: clientId, client_secret: clientSecret } });
    expect((await ps.get("/psapi/v4.0/user/session", { token: refreshed.json.access_token })).status).toBe(200);
  });

  it("access tokens expire after the configured lifetime", async () => {
    const auth = photoShelterOf(ps.server.context).auth;
    const { clientId, clientSecret } = await register();
    const code = await authorize(clientId);
    await ps.call("PUT", "/__admin/photoshelter/oauth", { json: { accessTokenTtlSeconds: 1 } });
    try {
      const tokens = (await ps.call("POST", "/psapi/v4.0/oauth/token", { form: { grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: clientId, client_secret: clientSecret } })).json;
      expect(tokens.expires_in).toBe(1);
      const realNow = Date.now;
      Date.now = () => realNow() + 1500;
      try {
        expect((await ps.get("/psapi/v4.0/user/session", { token: tokens.access_token })).json.errors[0].id).toBe("OAuthServerException");
      } finally {
        Date.now = realNow;
      }
    } finally {
      auth.accessTokenTtlSeconds = 3600;
    }
  });

  it("takes /oauth/token and /authenticate as multipart/form-data, as PHP cURL posts an array", async () => {
    const multipart = (fields: Record<string, string>) => {
      const body = new FormData();
      for (const [name, value] of Object.entries(fields)) body.append(name, value);
      return body;
    };
    const { clientId, clientSecret } = await register();
    const code = await authorize(clientId);
    const tokens = await ps.call("POST", "/psapi/v4.0/oauth/token", { body: multipart({ grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: clientId, client_secret: clientSecret }) });
    expect(tokens.status).toBe(200);
    expect(tokens.json.access_token).toEqual(expect.any(String));
    const refreshed = await ps.call("POST", "/psapi/v4.0/oauth/token", { body: multipart({ grant_type: "refresh_token", refresh_token: tokens.json.refresh_token, client_id: clientId, client_secret: clientSecret }) });
    expect(refreshed.json.access_token).toEqual(expect.any(String));
    const { psEmail, psPassword } = ps.server.context.settings;
    const login = await ps.call("POST", "/psapi/v4.0/authenticate", { body: multipart({ email: psEmail, password: psPassword, mode: "token" }) });
    expect(login.status).toBe(200);
    expect((await ps.get("/psapi/v4.0/user/session", { headers: { "x-ps-auth-token": login.json.token } })).status).toBe(200);
    const wrong = await ps.call("POST", "/psapi/v4.0/authenticate", { body: multipart({ email: psEmail, password: "wrong", mode: "token" }) });
    expect(wrong.status).toBe(401);
    const withFile = multipart({ email: psEmail, password: psPassword, mode: "token" });
    withFile.append("file", new Blob(["x"]), "x.txt");
    expect((await ps.call("POST", "/psapi/v4.0/authenticate", { body: withFile })).status).toBe(413);
  });

  it("validates register fields (80-character names) and client credentials", async () => {
    const long = await ps.call("POST", "/psapi/v4.0/oauth/register", { json: { application_name: "x".repeat(81), description: "d", email: "e@example.com", name: "n", redirect_uri: redirectUri } });
    expect(long.status).toBe(400);
    const { clientId } = await register();
    const code = await authorize(clientId);
    const bad = await ps.call("POST", "/psapi/v4.0/oauth/token", { form: { grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: clientId, client_secret: "wrong" } });
    expect(bad.status).toBe(401);
    expect(bad.json.errors[0].id).toBe("OAuthServerException");
  });

  it("an unknown bearer token answers OAuthServerException", async () => {
    const reply = await ps.get("/psapi/v4.0/library", { token: "not-a-token" });
    expect(reply.status).toBe(401);
    expect(reply.json.errors[0].id).toBe("OAuthServerException");
    expect(adminOf(ps.server.context).requests.count({ path: "/psapi/v4.0/library" })).toBeGreaterThan(0);
  });
});

describe("v3 sign-in", () => {
  it("returns {status: ok, data: {token, org}} and the token works as auth_token", async () => {
    const { psEmail, psPassword } = ps.server.context.settings;
    const login = await ps.call("POST", "/psapi/v3/mem/authenticate", { form: { email: psEmail, password: psPassword, mode: "token" } });
    expect(login.json).toMatchObject({ status: "ok", data: { token: expect.any(String), org: [{ id: ORGANIZATION.id, member: "t" }] } });
    const session = await ps.get(`/psapi/v3/mem/user/session?auth_token=${login.json.data.token}`);
    expect(session.json).toMatchObject({ status: "ok", data: { Session: { email: psEmail } } });
    const org = await ps.get(`/psapi/v3/organization/${ORGANIZATION.id}`);
    expect(org.json.data.Organization.name).toBe(ORGANIZATION.name);
  });
});
