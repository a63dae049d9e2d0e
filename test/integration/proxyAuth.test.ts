/**
 * Every way a bearer token can be wrong, against the mock issuer over real HTTP, plus the mapping of
 * the token's user to Dataverse and the per-user rate limit.
 */
import { generateKeyPair, SignJWT } from "jose";
import { ACCOUNTS } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { dataverseOf } from "../../mock-server/dataverse";
import { MOCK_DEFAULTS } from "../../mock-server/config";
import { MOCK_APP_ROLE } from "../../mock-server/issuer";
import { withMockDefaults } from "../../mock-server/proxyEnv";
import { loadConfig } from "../../proxy/src/config";
import { startProxy } from "../../proxy/src/server";
import { Stack, startStack } from "./proxyHarness";

const LITWARE = `account:${ACCOUNTS.litware}`;
const PATH = `/v1/search?record=${LITWARE}&perPage=1`;
const RATE_LIMIT = 6;

let stack: Stack;
let issuer: string;
let audience: string;

beforeAll(async () => {
  stack = await startStack({ RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) });
  issuer = stack.proxy.services.config.token.issuer;
  audience = stack.proxy.services.config.token.audience;
});

afterAll(() => stack.close());

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const parts = (token: string) => token.split(".");
const claimsOf = (token: string) => JSON.parse(Buffer.from(parts(token)[1], "base64url").toString()) as Record<string, unknown>;

async function refused(token: string | null, message: RegExp | string): Promise<void> {
  const response = await stack.call(PATH, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
  expect(body.error.code).toBe("unauthorized");
  if (typeof message === "string") expect(body.error.message).toBe(message);
  else expect(body.error.message).toMatch(message);
}

describe("bearer tokens", () => {
  it("accepts a token of a seeded user", async () => {
    // Litware Health is a North America account: Riley's business unit reads it.
    const response = await stack.call(PATH, { token: await stack.token("riley.rep@contoso.example") });
    expect(response.status).toBe(200);
  });

  it("refuses no token and a malformed header", async () => {
    await refused(null, "A bearer token is required");
    const response = await stack.call(PATH, { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(response.status).toBe(401);
  });

  it("refuses an expired token", async () => {
    await refused(await stack.token("emma.schmidt@contoso.example", { expiresIn: -300 }), "Token has expired");
  });

  it("refuses a token for another audience", async () => {
    await refused(await stack.token("emma.schmidt@contoso.example", { audience: "api://some-other-app" }), "Token audience is not accepted");
  });

  it("refuses tokens of another issuer", async () => {
    // A proxy that trusts a different issuer (with the same keys) must refuse this issuer's tokens.
    const other = await startProxy(loadConfig(withMockDefaults({ STATE_URL: "sqlite::memory:", PROXY_PORT: "0", LOG_LEVEL: "silent", TOKEN_ISSUER: "https://login.example.com/other-tenant/v2.0", TOKEN_JWKS_URL: `${issuer}/jwks` }, stack.mock.url)));
    try {
      const response = await fetch(`${other.url}${PATH}`, { headers: { authorization: `Bearer ${await stack.token("emma.schmidt@contoso.example")}` } });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { code: "unauthorized", message: "Token issuer is not accepted" } });
    } finally {
      await other.close();
    }
    // And a token from a stranger's key claiming this issuer.
    const { privateKey } = await generateKeyPair("RS256");
    const stranger = await new SignJWT({ oid: USERS.salesEmea.oid }).setProtectedHeader({ alg: "RS256", kid: "stranger" }).setIssuer(issuer).setAudience(audience).setExpirationTime("5m").sign(privateKey);
    await refused(stranger, "Token was not signed by a key of the issuer");
  });

  it("refuses alg none and HMAC tokens keyed with the issuer's public key", async () => {
    const good = await stack.token("emma.schmidt@contoso.example");
    const claims = claimsOf(good);
    await refused(`${b64({ alg: "none", typ: "JWT" })}.${parts(good)[1]}.`, "Token algorithm is not accepted");
    const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: Array<{ kid: string; n: string }> };
    const hs = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: jwks.keys[0].kid }).sign(Buffer.from(jwks.keys[0].n));
    await refused(hs, "Token algorithm is not accepted");
  });

  it("refuses a token whose payload was changed", async () => {
    const good = await stack.token("emma.schmidt@contoso.example");
    const [header, , signature] = parts(good);
    const forged = `${header}.${b64({ ...claimsOf(good), oid: USERS.admin.oid })}.${signature}`;
    await refused(forged, "Token signature is invalid");
  });

  it("refuses a valid token whose user is not an enabled Dynamics 365 user", async () => {
    const row = dataverseOf(stack.mock.context).store.get("systemuser", USERS.readOnly.id)!;
    row.isdisabled = true;
    const response = await stack.call(PATH, { token: await stack.token(USERS.readOnly.upn) });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: "forbidden", message: "The signed-in account is not an enabled Dynamics 365 user" } });
  });
});

describe("rate limit", () => {
  it("limits each user separately and says when to retry", async () => {
    // Kenji on an account of his own region (APAC), which his business unit reads.
    const kenji = await stack.token("kenji.tanaka@contoso.example");
    const coho = `/v1/search?record=account:${ACCOUNTS.coho}&perPage=1`;
    for (let i = 0; i < RATE_LIMIT; i++) expect((await stack.call(coho, { token: kenji })).status).toBe(200);
    const limited = await stack.call(coho, { token: kenji });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    expect((await stack.call(coho, { token: await stack.token(USERS.admin.upn) })).status).toBe(200);
  });
});

describe("app-only tokens and scopes", () => {
  /** A client-credentials token for the proxy's audience, as a daemon or integration would get one. */
  async function appToken(): Promise<string> {
    const form = new URLSearchParams({ grant_type: "client_credentials", client_id: MOCK_DEFAULTS.clientId, client_secret: MOCK_DEFAULTS.clientSecret, scope: `${audience}/.default` });
    const response = await fetch(`${issuer}/token`, { method: "POST", body: form });
    return ((await response.json()) as { access_token: string }).access_token;
  }

  async function withProxy(env: Record<string, string>, run: (call: (path: string, token: string) => Promise<Response>, proxy: Awaited<ReturnType<typeof startProxy>>) => Promise<void>): Promise<void> {
    const proxy = await startProxy(loadConfig(withMockDefaults({ STATE_URL: "sqlite::memory:", PROXY_PORT: "0", LOG_LEVEL: "silent", ...env }, stack.mock.url)));
    try {
      await run((path, token) => fetch(`${proxy.url}${path}`, { headers: { authorization: `Bearer ${token}` } }), proxy);
    } finally {
      await proxy.close();
    }
  }

  it("refuses app-only tokens unless an app role is configured", async () => {
    const response = await stack.call(PATH, { token: await appToken() });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/Application tokens are not accepted/);
    await withProxy({ PROXY_APP_ROLES: "Some.Other.Role" }, async (call) => {
      expect((await call(PATH, await appToken())).status).toBe(403);
    });
  });

  it("accepts a client-credentials token carrying a configured app role; it acts as the integration user", async () => {
    await withProxy({ PROXY_APP_ROLES: `Some.Other.Role,${MOCK_APP_ROLE}` }, async (call, proxy) => {
      const token = await appToken();
      const search = await call(`/v1/search?record=${LITWARE}&perPage=1&mediaType=document`, token);
      expect(search.status).toBe(200);
      const [asset] = ((await search.json()) as { items: Array<{ id: string }> }).items;
      expect((await call(`/v1/assets/${asset.id}/download?record=${LITWARE}`, token)).status).toBe(200);
      await proxy.services.usage.flush();
      expect(await proxy.services.state.usage.recent(10)).toEqual([expect.objectContaining({ userId: USERS.integration.id, assetId: asset.id })]);
    });
  });

  it("refuses a user's token without the scope this API is configured for", async () => {
    await withProxy({ PROXY_TOKEN_SCOPES: "Assets.Read" }, async (call) => {
      const response = await call(PATH, await stack.token(USERS.admin.upn));
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/scope/);
    });
  });
});
