/**
 * The mock issuer's Entra-shaped v2 endpoints over real HTTP, as the control's Entra sign-in uses
 * them (authorization code + PKCE; prompt=none first, the sign-in page when interaction is needed),
 * and a proxy in `entra` mode that accepts the resulting v2 token and nothing else.
 */
import { createHash, randomBytes } from "node:crypto";
import { ACCOUNTS } from "../../mock-server/dataverse/demoData";
import { DEMO_TENANT_ID } from "../../mock-server/dataverse/demoData/ids";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { MOCK_ENTRA_API_CLIENT_ID, MOCK_ENTRA_SPA_CLIENT_ID, mockEntraSettings } from "../../mock-server/issuer/entra";
import { startMockServer, type RunningMockServer } from "../../mock-server/server";
import { withMockDefaults } from "../../mock-server/proxyEnv";
import { loadConfig } from "../../proxy/src/config";
import { startProxy, type RunningProxy } from "../../proxy/src/server";
import { userToken } from "./mockDataverseSupport";

const APP_ORIGIN = "http://127.0.0.1:4020";
const REDIRECT = `${APP_ORIGIN}/`;
const SCOPE = "api://photoshelter-proxy/access_as_user";
const SEARCH = `/v1/search?record=account:${ACCOUNTS.litware}&perPage=1`;
const RILEY = USERS.salesNorthAmerica;

let mock: RunningMockServer;
let proxy: RunningProxy;
let authority: string;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, media: 300 });
  proxy = await startProxy(loadConfig(withMockDefaults({ STATE_URL: "sqlite::memory:", PROXY_PORT: "0", LOG_LEVEL: "silent", ...mockEntraSettings(mock.url) }, mock.url)));
  authority = `${mock.url}/${DEMO_TENANT_ID}`;
});

afterAll(async () => {
  await proxy.close();
  await mock.close();
});

const call = (path: string, token?: string) => fetch(`${proxy.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

interface Answer {
  status: number;
  /** Parameters of the redirect back to the app (fragment), when there was one. */
  params: URLSearchParams | null;
  location: string | null;
  html: string;
  cookie: string | null;
}

async function read(response: Response): Promise<Answer> {
  const location = response.headers.get("location");
  const params = location ? new URLSearchParams(new URL(location).hash.slice(1) || new URL(location).search.slice(1)) : null;
  return { status: response.status, params, location, html: await response.text(), cookie: response.headers.get("set-cookie")?.split(";")[0] ?? null };
}

function authorize(extra: Record<string, string>, cookie?: string, challenge = pkce().challenge): Promise<Answer> {
  const query = new URLSearchParams({ client_id: MOCK_ENTRA_SPA_CLIENT_ID, response_type: "code", response_mode: "fragment", redirect_uri: REDIRECT, scope: SCOPE, state: "s-123", code_challenge: challenge, code_challenge_method: "S256", ...extra });
  return fetch(`${authority}/oauth2/v2.0/authorize?${query.toString()}`, { redirect: "manual", headers: cookie ? { cookie } : {} }).then(read);
}

async function session(user: string, interactionRequired = false): Promise<string> {
  const response = await fetch(`${mock.url}/__admin/issuer/entra/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user, interactionRequired }) });
  const { cookie } = (await response.json()) as { cookie: { name: string; value: string } };
  return `${cookie.name}=${cookie.value}`;
}

function redeem(form: Record<string, string>, origin: string | null = APP_ORIGIN): Promise<{ status: number; body: Record<string, unknown> }> {
  return fetch(`${authority}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(origin ? { origin } : {}) },
    body: new URLSearchParams({ client_id: MOCK_ENTRA_SPA_CLIENT_ID, grant_type: "authorization_code", redirect_uri: REDIRECT, scope: SCOPE, ...form }).toString(),
  }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> }));
}

/** A token for `user` through the silent flow. */
async function silentToken(user = RILEY.upn): Promise<string> {
  const { verifier, challenge } = pkce();
  const answer = await authorize({ prompt: "none", login_hint: user }, await session(user), challenge);
  const token = await redeem({ code: answer.params!.get("code")!, code_verifier: verifier });
  expect(token.status).toBe(200);
  return token.body.access_token as string;
}

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString()) as Record<string, unknown>;
const put = (path: string, body: unknown) => fetch(`${mock.url}${path}`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("mock Entra ID v2 endpoints", () => {
  it("publishes discovery for /{tenant}/v2.0 with its keys", async () => {
    const discovery = (await (await fetch(`${authority}/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(discovery).toMatchObject({ issuer: `${authority}/v2.0`, authorization_endpoint: `${authority}/oauth2/v2.0/authorize`, token_endpoint: `${authority}/oauth2/v2.0/token` });
    const keys = (await (await fetch(discovery.jwks_uri)).json()) as { keys: { kid: string; kty: string }[] };
    expect(keys.keys[0]).toMatchObject({ kty: "RSA" });
    expect((await fetch(`${mock.url}/00000000-0000-4000-8000-000000000000/v2.0/.well-known/openid-configuration`)).status).toBe(400);
  });

  it("signs in silently with the session's user and login hint, and issues a v2 token for the proxy", async () => {
    const { verifier, challenge } = pkce();
    const answer = await authorize({ prompt: "none", login_hint: RILEY.upn }, await session(RILEY.upn), challenge);
    expect(answer.status).toBe(302);
    expect(answer.location!.startsWith(`${REDIRECT}#`)).toBe(true);
    expect(answer.params!.get("state")).toBe("s-123");
    const token = await redeem({ code: answer.params!.get("code")!, code_verifier: verifier });
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: "Bearer", scope: SCOPE, expires_in: 3600 });
    expect(claims(token.body.access_token as string)).toMatchObject({
      iss: `${authority}/v2.0`,
      aud: MOCK_ENTRA_API_CLIENT_ID,
      ver: "2.0",
      oid: RILEY.oid,
      tid: DEMO_TENANT_ID,
      scp: "access_as_user",
      azp: MOCK_ENTRA_SPA_CLIENT_ID,
      preferred_username: RILEY.upn,
    });
    // A code redeems once.
    const again = await redeem({ code: answer.params!.get("code")!, code_verifier: verifier });
    expect(again).toMatchObject({ status: 400, body: { error: "invalid_grant", error_codes: [54005] } });
  });

  it("answers prompt=none as Entra does: login_required, interaction_required, consent_required", async () => {
    expect((await authorize({ prompt: "none" })).params!.get("error")).toBe("login_required");
    const riley = await session(RILEY.upn);
    const mismatch = await authorize({ prompt: "none", login_hint: USERS.salesEmea.upn }, riley);
    expect(mismatch.params!.get("error")).toBe("login_required");
    expect(mismatch.params!.get("error_description")).toMatch(/^AADSTS50058: .*login hint/);
    const mfa = await authorize({ prompt: "none", login_hint: RILEY.upn }, await session(RILEY.upn, true));
    expect(mfa.params!.get("error")).toBe("interaction_required");
    expect(mfa.params!.get("error_description")).toMatch(/^AADSTS50076/);
    expect(mfa.params!.get("state")).toBe("s-123");
    await put("/__admin/issuer/entra/consent", { granted: false });
    try {
      const consent = await authorize({ prompt: "none", login_hint: RILEY.upn }, riley);
      expect(consent.params!.get("error")).toBe("consent_required");
      expect(consent.params!.get("error_description")).toMatch(/^AADSTS65001/);
    } finally {
      await put("/__admin/issuer/entra/consent", { granted: true });
    }
  });

  it("shows the sign-in page when interaction is needed; signing in there sets the session and redirects with a code", async () => {
    const { verifier, challenge } = pkce();
    const page = await authorize({ login_hint: RILEY.upn }, await session(RILEY.upn, true), challenge);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`<option value="${RILEY.upn}" selected>`);
    const form = new URLSearchParams({ client_id: MOCK_ENTRA_SPA_CLIENT_ID, response_type: "code", response_mode: "fragment", redirect_uri: REDIRECT, scope: SCOPE, state: "s-9", code_challenge: challenge, code_challenge_method: "S256", user: RILEY.upn });
    const signedIn = await fetch(`${authority}/oauth2/v2.0/authorize`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString() }).then(read);
    expect(signedIn.status).toBe(302);
    expect(signedIn.params!.get("state")).toBe("s-9");
    expect(signedIn.cookie).toMatch(/^mock_entra_session=/);
    expect((await redeem({ code: signedIn.params!.get("code")!, code_verifier: verifier })).status).toBe(200);
    // That browser session now signs in silently.
    expect((await authorize({ prompt: "none", login_hint: RILEY.upn }, signedIn.cookie!)).params!.get("code")).toBeTruthy();
  });

  it("asks for consent on the sign-in page when the tenant has not granted it", async () => {
    await put("/__admin/issuer/entra/consent", { granted: false });
    try {
      const page = await authorize({ login_hint: USERS.marketer.upn });
      expect(page.html).toContain('name="consent"');
      const base = { client_id: MOCK_ENTRA_SPA_CLIENT_ID, response_type: "code", redirect_uri: REDIRECT, scope: SCOPE, state: "s", code_challenge: pkce().challenge, code_challenge_method: "S256", user: USERS.marketer.upn };
      const post = (extra: Record<string, string>) =>
        fetch(`${authority}/oauth2/v2.0/authorize`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ ...base, ...extra }).toString() }).then(read);
      expect((await post({})).status).toBe(200); // the page again, asking
      const consented = await post({ consent: "yes" });
      expect(consented.params!.get("code")).toBeTruthy();
    } finally {
      await put("/__admin/issuer/entra/consent", { granted: true });
    }
  });

  it("never redirects to an unregistered app or address, and redeems codes only as issued", async () => {
    const stranger = await authorize({ redirect_uri: "https://evil.example/" });
    expect({ status: stranger.status, location: stranger.location }).toEqual({ status: 400, location: null });
    expect(stranger.html).toContain("AADSTS50011");
    expect((await authorize({ client_id: "00000000-0000-4000-8000-000000000000" })).html).toContain("AADSTS700016");
    expect((await authorize({ code_challenge_method: "plain" })).params!.get("error")).toBe("invalid_request");
    expect((await authorize({ scope: "api://someone-else/read" })).params!.get("error")).toBe("invalid_scope");

    const code = async () => {
      const { verifier, challenge } = pkce();
      const answer = await authorize({ prompt: "none", login_hint: RILEY.upn }, await session(RILEY.upn), challenge);
      return { code: answer.params!.get("code")!, verifier };
    };
    const wrongVerifier = await code();
    expect((await redeem({ code: wrongVerifier.code, code_verifier: pkce().verifier })).body).toMatchObject({ error: "invalid_grant", error_codes: [501481] });
    const noOrigin = await code();
    expect((await redeem({ code: noOrigin.code, code_verifier: noOrigin.verifier }, null)).body).toMatchObject({ error: "invalid_request", error_codes: [9002327] });
    const otherRedirect = await code();
    expect((await redeem({ code: otherRedirect.code, code_verifier: otherRedirect.verifier, redirect_uri: "http://localhost:9999/" })).body).toMatchObject({ error: "invalid_grant" });
    expect((await redeem({ code: "made-up", code_verifier: pkce().verifier })).body).toMatchObject({ error: "invalid_grant", error_codes: [70008] });
  });
});

describe("a proxy in entra mode", () => {
  it("tells the control to use Entra with the mock's authority, client and scope", async () => {
    const config = (await (await call("/v1/config")).json()) as { signIn: Record<string, string> };
    expect(config.signIn).toEqual({ kind: "entra", authority, clientId: MOCK_ENTRA_SPA_CLIENT_ID, scope: SCOPE });
  });

  it("accepts the v2 token of the flow, and refuses tokens of other issuers, tampered ones and session tokens", async () => {
    const token = await silentToken();
    expect((await call(SEARCH, token)).status).toBe(200);
    const devAnswer = await call(SEARCH, await userToken(mock, RILEY.upn));
    expect(devAnswer.status).toBe(401);
    expect(((await devAnswer.json()) as { error: { message: string } }).error.message).toBe("Token issuer is not accepted");
    const [header, , signature] = token.split(".");
    const tampered = Buffer.from(JSON.stringify({ ...claims(token), oid: USERS.admin.oid })).toString("base64url");
    expect((await call(SEARCH, [header, tampered, signature].join("."))).status).toBe(401);
    const session = await fetch(`${proxy.url}/v1/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: "0f0f0f0f-0000-4000-8000-000000000000", verifier: randomBytes(32).toString("base64url") }) });
    expect(session.status).toBe(403);
  });
});
