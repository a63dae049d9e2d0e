import { createRemoteJWKSet, decodeJwt, errors, jwtVerify } from "jose";
import { request } from "undici";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { MOCK_DEFAULTS } from "../../mock-server/config";
import { issuerOf, proxyAudience } from "../../mock-server/issuer";
import { RunningMockServer, startMockServer } from "../../mock-server/server";

let mock: RunningMockServer;
let issuer: string;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, media: 10 });
  issuer = `${mock.url}/issuer`;
});
afterAll(() => mock.close());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const postForm = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  request(`${issuer}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: form(fields) });
const signIn = (body: unknown) => request(`${issuer}/dev/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("mock token issuer", () => {
  it("publishes a discovery document and JWKS that verify its client-credentials tokens", async () => {
    const discovery = (await (await request(`${issuer}/.well-known/openid-configuration`)).body.json()) as Record<string, string>;
    expect(discovery.issuer).toBe(issuer);
    expect(discovery.token_endpoint).toBe(`${issuer}/token`);
    const response = await postForm({ grant_type: "client_credentials", client_id: MOCK_DEFAULTS.clientId, client_secret: MOCK_DEFAULTS.clientSecret, scope: `${mock.url}/.default` });
    expect(response.statusCode).toBe(200);
    const body = (await response.body.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe("Bearer");
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(body.access_token, jwks, { issuer, audience: mock.url });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toMatchObject({ oid: USERS.integration.oid, appid: MOCK_DEFAULTS.clientId, idtyp: "app" });
    expect(payload.exp! - payload.iat!).toBe(body.expires_in);
  });

  it("accepts client_secret_basic and refuses wrong credentials, grants and scopes with OAuth errors", async () => {
    const basic = Buffer.from(`${MOCK_DEFAULTS.clientId}:${MOCK_DEFAULTS.clientSecret}`).toString("base64");
    expect((await postForm({ grant_type: "client_credentials", scope: `${mock.url}/.default` }, { authorization: `Basic ${basic}` })).statusCode).toBe(200);

    const wrongSecret = await postForm({ grant_type: "client_credentials", client_id: MOCK_DEFAULTS.clientId, client_secret: "nope", scope: `${mock.url}/.default` });
    expect(wrongSecret.statusCode).toBe(401);
    expect(await wrongSecret.body.json()).toMatchObject({ error: "invalid_client" });

    const password = await postForm({ grant_type: "password", client_id: MOCK_DEFAULTS.clientId, client_secret: MOCK_DEFAULTS.clientSecret });
    expect(password.statusCode).toBe(400);
    expect(await password.body.json()).toMatchObject({ error: "unsupported_grant_type" });

    const noScope = await postForm({ grant_type: "client_credentials", client_id: MOCK_DEFAULTS.clientId, client_secret: MOCK_DEFAULTS.clientSecret });
    expect(await noScope.body.json()).toMatchObject({ error: "invalid_request" });
    const badScope = await postForm({ grant_type: "client_credentials", client_id: MOCK_DEFAULTS.clientId, client_secret: MOCK_DEFAULTS.clientSecret, scope: "user.read" });
    expect(await badScope.body.json()).toMatchObject({ error: "invalid_scope" });

    const json = await request(`${issuer}/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ grant_type: "client_credentials" }) });
    expect(json.statusCode).toBe(400);
  });

  it("signs in seeded users by UPN, object id or systemuserid with the proxy audience", async () => {
    for (const reference of [USERS.salesEmea.upn.toUpperCase(), USERS.salesEmea.oid, `{${USERS.salesEmea.id}}`]) {
      const response = await signIn({ user: reference });
      expect(response.statusCode).toBe(200);
      const body = (await response.body.json()) as { access_token: string; token_type: string; expires_in: number };
      expect(body.token_type).toBe("Bearer");
      const claims = await issuerOf(mock.context).verify(body.access_token, [proxyAudience()]);
      expect(claims).toMatchObject({ oid: USERS.salesEmea.oid, upn: USERS.salesEmea.upn, name: USERS.salesEmea.name, aud: "api://photoshelter-proxy", iss: issuer });
    }
  });

  it("refuses unknown users, the application user and malformed sign-in bodies", async () => {
    expect((await signIn({ user: "nobody@contoso.example" })).statusCode).toBe(404);
    expect((await signIn({ user: USERS.integration.upn })).statusCode).toBe(404);
    expect((await signIn({ user: "" })).statusCode).toBe(400);
    expect((await signIn({})).statusCode).toBe(400);
    expect((await signIn({ user: USERS.admin.upn, expiresIn: 10 ** 9 })).statusCode).toBe(400);
  });

  it("issues expired tokens on request, and verification rejects them, other audiences and tampering", async () => {
    const expired = (await (await signIn({ user: USERS.admin.upn, expiresIn: -60 })).body.json()) as { access_token: string };
    await expect(issuerOf(mock.context).verify(expired.access_token, [proxyAudience()])).rejects.toBeInstanceOf(errors.JWTExpired);

    const valid = (await (await signIn({ user: USERS.admin.upn })).body.json()) as { access_token: string };
    await expect(issuerOf(mock.context).verify(valid.access_token, [mock.url])).rejects.toBeInstanceOf(errors.JWTClaimValidationFailed);

    const [header, payload, signature] = valid.access_token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(valid.access_token), oid: USERS.integration.oid })).toString("base64url");
    expect(forged).not.toBe(payload);
    await expect(issuerOf(mock.context).verify(`${header}.${forged}.${signature}`, [proxyAudience()])).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });

  it("lists the users who can sign in, including the read-only one and not the application user", async () => {
    const body = (await (await request(`${issuer}/dev/users`)).body.json()) as { users: Array<{ systemuserid: string; oid: string; upn: string; role: string }> };
    expect(body.users.map((u) => u.upn)).toContain(USERS.readOnly.upn);
    expect(body.users.find((u) => u.upn === USERS.readOnly.upn)).toMatchObject({ systemuserid: USERS.readOnly.id, oid: USERS.readOnly.oid, role: "PhotoShelter Read Only" });
    expect(body.users.some((u) => u.upn === USERS.integration.upn)).toBe(false);
  });
});
