/**
 * Entra ID's v2 endpoints for a single-page app, as far as the control's Entra sign-in uses them
 * (authorization code + PKCE, silently in a hidden iframe, interactively in a pop-up):
 *   GET  /{tenant}/v2.0/.well-known/openid-configuration   discovery (the proxy's TOKEN_ISSUER is /{tenant}/v2.0)
 *   GET  /{tenant}/discovery/v2.0/keys                     the signing key (the issuer's own key)
 *   GET  /{tenant}/oauth2/v2.0/authorize                   prompt=none answers at once; otherwise the sign-in page
 *   POST /{tenant}/oauth2/v2.0/authorize                   the sign-in page's form: signs in, consents, redirects
 *   POST /{tenant}/oauth2/v2.0/token                       redeems a code with its PKCE verifier (cross-origin only, like SPA codes)
 *   POST /__admin/issuer/entra/sessions                    tests: a browser session for a user (the cookie to plant)
 *   PUT  /__admin/issuer/entra/consent                     tests: tenant-wide admin consent on or off
 *
 * Behaviour follows Microsoft's documentation of the v2 endpoint: with `prompt=none`, no session
 * gives `login_required` (AADSTS50058), a session whose user does not match `login_hint` also
 * `login_required` (AADSTS50058), a session that must pass multi-factor authentication or another
 * conditional-access control `interaction_required` (AADSTS50076), a user who has not consented
 * `consent_required` (AADSTS65001). Codes live ten minutes and redeem once (AADSTS54005), only with
 * the verifier of their challenge (AADSTS501481), and single-page-app codes only cross-origin
 * (AADSTS9002327). v2 access tokens carry `aud` = the API's application (client) id, `iss` =
 * `<authority>/v2.0`, and `oid`, `tid`, `scp`, `azp`, `ver: "2.0"`.
 * Mock only: one registered SPA (MOCK_ENTRA_SPA_CLIENT_ID) whose redirect URIs are any loopback
 * origin's root, and one API (the proxy) with the solution's default Application ID URI.
 */
import { Type, type Static } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { SignJWT } from "jose";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { adminOf } from "../admin";
import type { MockContext } from "../context";
import { proxyTokenAudience } from "../../solution/model/environmentVariables";
import { DEMO_TENANT_ID } from "../dataverse/demoData/ids";
import { findDemoUser, USERS, type DemoUser } from "../dataverse/demoData/users";
import type { SigningKey } from "./keys";

/** The control's app registration (a single-page application). */
export const MOCK_ENTRA_SPA_CLIENT_ID = "5a000000-0000-4000-8000-00000000c0de";
/** The proxy's app registration: v2 tokens for it carry this as `aud`. */
export const MOCK_ENTRA_API_CLIENT_ID = "5a000000-0000-4000-8000-0000000000a1";
/** The proxy's Application ID URI (the solution's token-audience default) and the scope it exposes. */
export const MOCK_ENTRA_API_URI = proxyTokenAudience.defaultValue;
export const MOCK_ENTRA_SCOPE_NAME = "access_as_user";
const SESSION_COOKIE = "mock_entra_session";
const CODE_LIFETIME_MS = 10 * 60_000;
const TOKEN_LIFETIME_SECONDS = 3600;

/** What the proxy and the control are configured with to use this mock as Entra ID. */
export function mockEntraSettings(mockUrl: string): Record<string, string> {
  const authority = `${mockUrl}/${DEMO_TENANT_ID}`;
  return {
    SIGN_IN_MODE: "entra",
    SIGN_IN_CLIENT_ID: MOCK_ENTRA_SPA_CLIENT_ID,
    SIGN_IN_AUTHORITY: authority,
    SIGN_IN_SCOPE: `${MOCK_ENTRA_API_URI}/${MOCK_ENTRA_SCOPE_NAME}`,
    TOKEN_ISSUER: `${authority}/v2.0`,
    PROXY_TOKEN_AUDIENCE: MOCK_ENTRA_API_CLIENT_ID,
  };
}

interface Session {
  oid: string;
  /** Multi-factor authentication (or another conditional-access control) is due: only interaction satisfies it. */
  interactionRequired: boolean;
}

interface IssuedCode {
  oid: string;
  clientId: string;
  redirectUri: string;
  challenge: string;
  scope: string;
  expiresAt: number;
  redeemed: boolean;
}

interface EntraState {
  sessions: Map<string, Session>;
  codes: Map<string, IssuedCode>;
  /** Users who consented themselves (when the tenant has not). */
  consented: Set<string>;
  adminConsent: boolean;
}

const SessionInput = Type.Object(
  {
    user: Type.String({ minLength: 1, description: "systemuserid, object id or UPN of a seeded user" }),
    interactionRequired: Type.Optional(Type.Boolean({ description: "the session must pass MFA / conditional access before a silent sign-in works" })),
  },
  { additionalProperties: false },
);
const ConsentInput = Type.Object({ granted: Type.Boolean() }, { additionalProperties: false });

const html = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function cookieOf(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

/** Entra's registered redirect URIs for the mock SPA: the root of any loopback origin. */
function registeredRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === "http:" && ["127.0.0.1", "localhost"].includes(url.hostname) && url.pathname === "/" && url.search === "" && url.hash === "";
  } catch {
    return false;
  }
}

type Params = Record<string, string | undefined>;

export async function entraRoutes(app: FastifyInstance, context: MockContext, key: SigningKey): Promise<void> {
  const state: EntraState = { sessions: new Map(), codes: new Map(), consented: new Set(), adminConsent: true };
  adminOf(context).onReset(() => {
    state.sessions.clear();
    state.codes.clear();
    state.consented.clear();
    state.adminConsent = true;
  });
  const authority = (tenant: string) => `${context.baseUrl()}/${tenant}`;
  const apiScopes = [`${MOCK_ENTRA_API_URI}/${MOCK_ENTRA_SCOPE_NAME}`, `${MOCK_ENTRA_API_URI}/.default`];
  const userByOid = (oid: string) => Object.values(USERS).find((user) => user.oid === oid && !user.application) as DemoUser | undefined;
  const hasConsent = (oid: string) => state.adminConsent || state.consented.has(oid);

  const errorPage = (reply: FastifyReply, status: number, code: string, message: string) =>
    reply.code(status).type("text/html; charset=utf-8").send(`<!doctype html><title>Sign in</title><h1>Sorry, but we're having trouble signing you in.</h1><p>${html(code)}: ${html(message)}</p>`);

  /** Back to the app with the answer, in the fragment (response_mode=fragment) or the query. */
  const redirectBack = (reply: FastifyReply, params: Params, answer: Record<string, string>) => {
    const values = new URLSearchParams({ ...answer, ...(params.state !== undefined ? { state: params.state } : {}) });
    const separator = params.response_mode === "query" ? "?" : "#";
    return reply.code(302).header("cache-control", "no-store").redirect(`${params.redirect_uri}${separator}${values.toString()}`);
  };
  const redirectError = (reply: FastifyReply, params: Params, error: string, description: string) =>
    redirectBack(reply, params, { error, error_description: `${description}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${new Date().toISOString()}` });

  /** What Entra says about an authorization request's parameters: an error page (nowhere safe to redirect to), an error redirect, or nothing. */
  const problemOf = (tenant: string, params: Params): { page: [string, string] } | { redirect: [string, string] } | null => {
    if (tenant !== DEMO_TENANT_ID) return { page: ["AADSTS90002", `Tenant '${tenant}' not found.`] };
    if (params.client_id !== MOCK_ENTRA_SPA_CLIENT_ID) return { page: ["AADSTS700016", `Application with identifier '${params.client_id ?? ""}' was not found in the directory.`] };
    if (!params.redirect_uri || !registeredRedirect(params.redirect_uri)) return { page: ["AADSTS50011", `The redirect URI '${params.redirect_uri ?? ""}' specified in the request does not match the redirect URIs configured for the application.`] };
    if (params.response_type !== "code") return { redirect: ["unsupported_response_type", "AADSTS70005: response_type 'token' is not enabled for the application."] };
    if (!params.code_challenge || params.code_challenge_method !== "S256") return { redirect: ["invalid_request", "AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption."] };
    const scopes = (params.scope ?? "").split(" ").filter(Boolean);
    if (!scopes.some((scope) => apiScopes.includes(scope))) return { redirect: ["invalid_scope", "AADSTS70011: The provided value for the input parameter 'scope' is not valid."] };
    return null;
  };

  /** Answers a bad request as Entra does and returns true; false when the request may go on. */
  const refused = (tenant: string, params: Params, reply: FastifyReply): boolean => {
    const problem = problemOf(tenant, params);
    if (!problem) return false;
    if ("page" in problem) errorPage(reply, 400, ...problem.page);
    else redirectError(reply, params, ...problem.redirect);
    return true;
  };

  const issueCode = (reply: FastifyReply, params: Params, oid: string) => {
    const code = randomBytes(32).toString("base64url");
    state.codes.set(code, { oid, clientId: params.client_id!, redirectUri: params.redirect_uri!, challenge: params.code_challenge!, scope: params.scope!, expiresAt: Date.now() + CODE_LIFETIME_MS, redeemed: false });
    return redirectBack(reply, params, { code, client_info: Buffer.from(JSON.stringify({ uid: oid, utid: DEMO_TENANT_ID })).toString("base64url"), session_state: randomUUID() });
  };

  const signInPage = (reply: FastifyReply, tenant: string, params: Params, hint: DemoUser | undefined, message = "") => {
    const hidden = Object.entries(params)
      .filter(([name]) => !["user", "consent"].includes(name))
      .map(([name, value]) => `<input type="hidden" name="${html(name)}" value="${html(value ?? "")}">`)
      .join("");
    const options = Object.values(USERS)
      .filter((user: DemoUser) => !user.application)
      .map((user: DemoUser) => `<option value="${html(user.upn)}"${user.upn === hint?.upn ? " selected" : ""}>${html(user.name)} (${html(user.upn)})</option>`)
      .join("");
    const consent = (user: DemoUser | undefined) => !user || !hasConsent(user.oid);
    return reply
      .type("text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title></head><body>` +
          `<main><h1>Sign in</h1><p>Mock Entra ID · tenant ${html(tenant)}</p>${message ? `<p role="alert">${html(message)}</p>` : ""}` +
          `<form method="post" action="${html(`/${tenant}/oauth2/v2.0/authorize`)}">${hidden}` +
          `<label>Account <select name="user">${options}</select></label>` +
          (consent(hint) ? `<p><label><input type="checkbox" name="consent" value="yes"> Consent on behalf of your organization: let PhotoShelter for Dynamics 365 read PhotoShelter assets as you</label></p>` : "") +
          `<button type="submit">Sign in</button></form></main></body></html>`,
      );
  };

  const signToken = async (tenant: string, user: DemoUser, issued: IssuedCode) => {
    const now = Math.floor(Date.now() / 1000);
    const scp = issued.scope
      .split(" ")
      .filter((scope) => scope.startsWith(`${MOCK_ENTRA_API_URI}/`))
      .map((scope) => scope.slice(MOCK_ENTRA_API_URI.length + 1))
      .map((name) => (name === ".default" ? MOCK_ENTRA_SCOPE_NAME : name));
    return new SignJWT({
      aio: randomBytes(16).toString("base64url"),
      azp: issued.clientId,
      azpacr: "0",
      name: user.name,
      oid: user.oid,
      preferred_username: user.upn,
      rh: `0.${randomBytes(12).toString("base64url")}.`,
      scp: [...new Set(scp)].join(" "),
      tid: DEMO_TENANT_ID,
      uti: randomBytes(16).toString("base64url"),
      ver: "2.0",
    })
      .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" })
      .setIssuer(`${authority(tenant)}/v2.0`)
      .setAudience(MOCK_ENTRA_API_CLIENT_ID)
      // v2 `sub` is pairwise: the same user has another subject in every application.
      .setSubject(createHash("sha256").update(`${user.oid}:${issued.clientId}`).digest("base64url"))
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + TOKEN_LIFETIME_SECONDS)
      .sign(key.privateKey);
  };

  const tokenError = (reply: FastifyReply, status: number, error: string, code: number, description: string) =>
    reply
      .code(status)
      .header("cache-control", "no-store")
      .send({ error, error_description: `AADSTS${code}: ${description}`, error_codes: [code], timestamp: new Date().toISOString(), trace_id: randomUUID(), correlation_id: randomUUID() });

  await app.register(async (scope: FastifyInstance) => {
    scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));

    scope.get<{ Params: { tenant: string } }>("/:tenant/v2.0/.well-known/openid-configuration", async (request, reply) => {
      if (request.params.tenant !== DEMO_TENANT_ID) return reply.code(400).send({ error: "invalid_tenant", error_description: `AADSTS90002: Tenant '${request.params.tenant}' not found.` });
      const base = authority(request.params.tenant);
      return {
        issuer: `${base}/v2.0`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ["query", "fragment", "form_post"],
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
        tenant_region_scope: "EU",
        cloud_instance_name: "microsoftonline.com",
      };
    });

    scope.get<{ Params: { tenant: string } }>("/:tenant/discovery/v2.0/keys", async (_request, reply) => reply.header("cache-control", "public, max-age=300").send({ keys: [{ ...key.publicJwk, x5t: key.kid }] }));

    scope.get<{ Params: { tenant: string }; Querystring: Params }>("/:tenant/oauth2/v2.0/authorize", async (request, reply) => {
      const { tenant } = request.params;
      const params = request.query;
      if (refused(tenant, params, reply)) return reply;
      const session = state.sessions.get(cookieOf(request, SESSION_COOKIE) ?? "");
      const signedIn = session ? userByOid(session.oid) : undefined;
      const hint = params.login_hint ? findDemoUser(params.login_hint) : undefined;
      if (params.prompt === "none") {
        if (!session || !signedIn) return redirectError(reply, params, "login_required", "AADSTS50058: A silent sign-in request was sent but no user is signed in.");
        if (params.login_hint && hint?.oid !== signedIn.oid) {
          return redirectError(reply, params, "login_required", "AADSTS50058: A silent sign-in request was sent but none of the currently signed in user(s) match the requested login hint.");
        }
        if (session.interactionRequired) {
          return redirectError(reply, params, "interaction_required", "AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the application.");
        }
        if (!hasConsent(signedIn.oid)) return redirectError(reply, params, "consent_required", `AADSTS65001: The user or administrator has not consented to use the application with ID '${params.client_id}'.`);
        return issueCode(reply, params, signedIn.oid);
      }
      return signInPage(reply, tenant, params, hint ?? signedIn);
    });

    scope.post<{ Params: { tenant: string }; Body: Params }>("/:tenant/oauth2/v2.0/authorize", async (request, reply) => {
      const { tenant } = request.params;
      const params = request.body && typeof request.body === "object" ? request.body : {};
      if (refused(tenant, params, reply)) return reply;
      const user = findDemoUser(params.user ?? "");
      if (!user || user.application) return signInPage(reply, tenant, params, undefined, "We couldn't find an account with that username.");
      if (!hasConsent(user.oid)) {
        if (params.consent !== "yes") return signInPage(reply, tenant, params, user, "Consent is needed before the app can sign you in.");
        state.consented.add(user.oid);
      }
      // Signing in interactively satisfies multi-factor authentication for this browser session.
      const id = randomBytes(24).toString("base64url");
      state.sessions.set(id, { oid: user.oid, interactionRequired: false });
      reply.header("set-cookie", `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`);
      return issueCode(reply, params, user.oid);
    });

    // Single-page apps redeem codes with fetch from their own origin: CORS like Entra's token endpoint.
    scope.options("/:tenant/oauth2/v2.0/token", async (request, reply) =>
      reply
        .header("access-control-allow-origin", request.headers.origin ?? "*")
        .header("access-control-allow-methods", "POST")
        .header("access-control-allow-headers", "content-type")
        .header("access-control-max-age", "600")
        .code(204)
        .send(),
    );
    scope.post<{ Params: { tenant: string }; Body: Params }>("/:tenant/oauth2/v2.0/token", async (request, reply) => {
      const origin = request.headers.origin;
      if (origin) reply.header("access-control-allow-origin", origin).header("vary", "Origin");
      const { tenant } = request.params;
      if (tenant !== DEMO_TENANT_ID) return tokenError(reply, 400, "invalid_request", 90002, `Tenant '${tenant}' not found.`);
      if (!request.headers["content-type"]?.startsWith("application/x-www-form-urlencoded")) return tokenError(reply, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
      const form = request.body && typeof request.body === "object" ? request.body : {};
      if (form.grant_type !== "authorization_code") return tokenError(reply, 400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${form.grant_type ?? ""}'.`);
      if (!origin) return tokenError(reply, 400, "invalid_request", 9002327, "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.");
      const issued = state.codes.get(form.code ?? "");
      if (!issued || issued.expiresAt < Date.now()) return tokenError(reply, 400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.");
      if (issued.redeemed) return tokenError(reply, 400, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");
      if (form.client_id !== issued.clientId) return tokenError(reply, 400, "invalid_grant", 70000, "The provided value for the 'client_id' does not match the authorization code.");
      if (form.redirect_uri !== issued.redirectUri) return tokenError(reply, 400, "invalid_grant", 500117, "The reply uri specified in the request isn't a registered reply uri or does not match the one of the authorization request.");
      const challenge = createHash("sha256").update(form.code_verifier ?? "").digest("base64url");
      if (challenge !== issued.challenge) return tokenError(reply, 400, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
      issued.redeemed = true;
      const user = userByOid(issued.oid);
      if (!user) return tokenError(reply, 400, "invalid_grant", 50034, "The user account does not exist in the directory.");
      return reply
        .header("cache-control", "no-store")
        .send({ token_type: "Bearer", scope: issued.scope, expires_in: TOKEN_LIFETIME_SECONDS, ext_expires_in: TOKEN_LIFETIME_SECONDS, access_token: await signToken(tenant, user, issued) });
    });
  });

  app.post("/__admin/issuer/entra/sessions", { schema: { body: SessionInput } }, async (request, reply) => {
    const body = request.body as Static<typeof SessionInput>;
    const user = findDemoUser(body.user);
    if (!user || user.application) return reply.code(404).send({ error: { code: "not_found", message: `No seeded user "${body.user}".` } });
    const id = randomBytes(24).toString("base64url");
    state.sessions.set(id, { oid: user.oid, interactionRequired: body.interactionRequired ?? false });
    return reply.code(201).send({ cookie: { name: SESSION_COOKIE, value: id } });
  });
  app.put("/__admin/issuer/entra/consent", { schema: { body: ConsentInput } }, async (request) => {
    state.adminConsent = (request.body as Static<typeof ConsentInput>).granted;
    if (state.adminConsent) state.consented.clear();
    return { adminConsent: state.adminConsent };
  });
}
