/**
 * /issuer — a local OpenID token issuer standing in for Entra ID:
 *   GET  /issuer/.well-known/openid-configuration   discovery
 *   GET  /issuer/jwks                                the RS256 public key
 *   POST /issuer/token                               client credentials (the proxy's server-to-server access)
 *   POST /issuer/dev/sign-in  {"user": id|oid|upn}   user tokens for the seeded Dataverse users
 *   GET  /issuer/dev/users                           who can sign in
 * Route groups of the same mock verify tokens in-process through `issuerOf(context)`.
 */
import { Type, type Static } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { randomUUID, timingSafeEqual } from "node:crypto";
import { proxyTokenAudience } from "../../solution/model/environmentVariables";
import { BUSINESS_UNITS, ROLES, USERS, findDemoUser, type DemoUser } from "../dataverse/demoData/users";
import { DEMO_TENANT_ID } from "../dataverse/demoData/ids";
import type { MockContext, RouteGroup } from "../context";
import { entraRoutes, MOCK_ENTRA_SCOPE_NAME } from "./entra";
import { createSigningKey, type SigningKey } from "./keys";

export const ISSUER_PATH = "/issuer";
/** Lifetime of issued tokens when the caller does not ask for another (seconds). */
export const DEFAULT_TOKEN_LIFETIME = 3600;

/** Audience of user tokens for the proxy: `PROXY_TOKEN_AUDIENCE`, default from the solution's environment variable. */
export function proxyAudience(env: NodeJS.ProcessEnv = process.env): string {
  return env.PROXY_TOKEN_AUDIENCE || proxyTokenAudience.defaultValue;
}

export interface MockTokenClaims extends JWTPayload {
  oid: string;
  tid: string;
  upn?: string;
  name?: string;
  appid?: string;
  idtyp?: "app" | "user";
}

export interface SignOptions {
  audience: string;
  /** Lifetime in seconds (default one hour). Negative values make expired tokens for tests. */
  expiresIn?: number;
}

export interface MockIssuer {
  /** `<mock base>/issuer`, the `iss` of every token. */
  issuerUrl(): string;
  signUserToken(user: DemoUser, options: SignOptions): Promise<string>;
  signAppToken(clientId: string, options: SignOptions): Promise<string>;
  /** Verifies signature, issuer, expiry and that `aud` is one of `audiences`; throws on failure. */
  verify(token: string, audiences: string[]): Promise<MockTokenClaims>;
}

const issuers = new WeakMap<MockContext, MockIssuer>();

/** The issuer of one running mock server. */
export function issuerOf(context: MockContext): MockIssuer {
  const issuer = issuers.get(context);
  if (!issuer) throw new Error("the issuer route group is not registered on this mock server");
  return issuer;
}

/** The app role client-credentials tokens carry (`roles`); a proxy accepts them when PROXY_APP_ROLES names it. */
export const MOCK_APP_ROLE = "PhotoShelter.Integration";

/** The object id of the proxy's service principal: client-credentials tokens carry it as `oid`. */
export const APPLICATION_OBJECT_ID = USERS.integration.oid;

function createIssuer(context: MockContext, key: SigningKey): MockIssuer {
  const issuerUrl = () => `${context.baseUrl()}${ISSUER_PATH}`;
  const sign = (claims: MockTokenClaims, options: SignOptions) => {
    const now = Math.floor(Date.now() / 1000);
    const lifetime = options.expiresIn ?? DEFAULT_TOKEN_LIFETIME;
    return new SignJWT({ ...claims, ver: "2.0" })
      .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" })
      .setIssuer(issuerUrl())
      .setAudience(options.audience)
      .setSubject(claims.oid)
      .setIssuedAt(Math.min(now, now + lifetime))
      .setNotBefore(Math.min(now, now + lifetime) - 1)
      .setExpirationTime(now + lifetime)
      .setJti(randomUUID())
      .sign(key.privateKey);
  };
  return {
    issuerUrl,
    signUserToken: (user, options) =>
      sign({ oid: user.oid, tid: DEMO_TENANT_ID, upn: user.upn, preferred_username: user.upn, name: user.name, idtyp: "user", scp: MOCK_ENTRA_SCOPE_NAME }, options),
    signAppToken: (clientId, options) =>
      sign({ oid: APPLICATION_OBJECT_ID, tid: DEMO_TENANT_ID, appid: clientId, azp: clientId, idtyp: "app", roles: [MOCK_APP_ROLE] }, options),
    async verify(token, audiences) {
      const { payload } = await jwtVerify(token, key.publicKey, { issuer: issuerUrl(), audience: audiences, algorithms: ["RS256"] });
      if (typeof payload.oid !== "string" || typeof payload.tid !== "string") throw new joseErrors.JWTClaimValidationFailed("oid and tid claims are required", payload, "oid");
      return payload as MockTokenClaims;
    },
  };
}

/** OAuth error body, as Entra returns it. */
function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply.code(status).header("cache-control", "no-store").send({ error, error_description: description, timestamp: new Date().toISOString(), trace_id: randomUUID() });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** client_secret_basic (Authorization: Basic) or client_secret_post credentials. */
function clientCredentialsOf(request: FastifyRequest, form: Record<string, string>): { clientId?: string; clientSecret?: string } {
  const header = request.headers.authorization;
  if (header?.startsWith("Basic ")) {
    const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  return { clientId: form.client_id, clientSecret: form.client_secret };
}

const SignInBody = Type.Object(
  {
    user: Type.String({ minLength: 1, maxLength: 320, description: "systemuserid, Entra object id or UPN of a seeded user" }),
    audience: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: "default: the proxy's audience" })),
    expiresIn: Type.Optional(Type.Integer({ minimum: -86400, maximum: 86400, description: "seconds; negative issues an expired token (tests)" })),
  },
  { additionalProperties: false },
);

export const issuerRoutes: RouteGroup = async (app, context) => {
  const key = await createSigningKey();
  const issuer = createIssuer(context, key);
  issuers.set(context, issuer);
  await entraRoutes(app, context, key);

  await app.register(async (scope: FastifyInstance) => {
    // The token endpoint takes a form body (OAuth 2.0); parsed only inside this scope.
    scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    scope.get(`${ISSUER_PATH}/.well-known/openid-configuration`, async () => {
      const base = issuer.issuerUrl();
      return {
        issuer: base,
        jwks_uri: `${base}/jwks`,
        token_endpoint: `${base}/token`,
        dev_sign_in_endpoint: `${base}/dev/sign-in`,
        grant_types_supported: ["client_credentials"],
        token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
        response_types_supported: ["token"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
        claims_supported: ["iss", "aud", "sub", "exp", "iat", "nbf", "oid", "tid", "upn", "name", "appid", "idtyp"],
        tenant_id: DEMO_TENANT_ID,
      };
    });

    scope.get(`${ISSUER_PATH}/jwks`, async (_request, reply) => reply.header("cache-control", "public, max-age=300").send({ keys: [key.publicJwk] }));

    scope.post(`${ISSUER_PATH}/token`, async (request, reply) => {
      const form = request.body && typeof request.body === "object" ? (request.body as Record<string, string>) : {};
      if (!request.headers["content-type"]?.startsWith("application/x-www-form-urlencoded")) {
        return oauthError(reply, 400, "invalid_request", "The token request must be application/x-www-form-urlencoded.");
      }
      if (form.grant_type !== "client_credentials") {
        return oauthError(reply, 400, "unsupported_grant_type", `grant_type "${form.grant_type ?? ""}" is not supported; use client_credentials.`);
      }
      const { clientId, clientSecret } = clientCredentialsOf(request, form);
      if (!clientId || !clientSecret || clientId !== context.settings.clientId || !sameSecret(clientSecret, context.settings.clientSecret)) {
        return oauthError(reply, 401, "invalid_client", "Invalid client id or secret (MOCK_CLIENT_ID / MOCK_CLIENT_SECRET).");
      }
      const scopeParam = form.scope?.trim();
      if (!scopeParam) return oauthError(reply, 400, "invalid_request", "The request body must contain the 'scope' parameter, e.g. <dataverse url>/.default.");
      if (!scopeParam.endsWith("/.default") || scopeParam.includes(" ")) {
        return oauthError(reply, 400, "invalid_scope", `The scope "${scopeParam}" is not valid: client credentials take one "<resource>/.default" scope.`);
      }
      const audience = scopeParam.slice(0, -"/.default".length);
      if (!audience) return oauthError(reply, 400, "invalid_scope", "The scope names no resource.");
      const token = await issuer.signAppToken(clientId, { audience });
      return reply.header("cache-control", "no-store").send({ token_type: "Bearer", expires_in: DEFAULT_TOKEN_LIFETIME, ext_expires_in: DEFAULT_TOKEN_LIFETIME, access_token: token });
    });

    // The control signs in from the browser, cross-origin, as single-page apps call Entra ID's token
    // endpoint; like Entra, the development sign-in answers CORS requests from any origin.
    const allowBrowsers = (origin: string | undefined, reply: FastifyReply) =>
      reply.header("access-control-allow-origin", origin ?? "*").header("vary", "Origin");
    scope.options(`${ISSUER_PATH}/dev/sign-in`, async (request, reply) =>
      allowBrowsers(request.headers.origin, reply)
        .header("access-control-allow-methods", "POST")
        .header("access-control-allow-headers", "content-type")
        .header("access-control-max-age", "600")
        .code(204)
        .send(),
    );
    scope.post(`${ISSUER_PATH}/dev/sign-in`, { schema: { body: SignInBody } }, async (request, reply) => {
      allowBrowsers(request.headers.origin, reply);
      const body = request.body as Static<typeof SignInBody>;
      const user = findDemoUser(body.user);
      if (!user || user.application) {
        return oauthError(reply, 404, "invalid_user", `No seeded user "${body.user}". GET ${ISSUER_PATH}/dev/users lists them.`);
      }
      const expiresIn = body.expiresIn ?? DEFAULT_TOKEN_LIFETIME;
      const token = await issuer.signUserToken(user, { audience: body.audience ?? proxyAudience(), expiresIn });
      return reply.header("cache-control", "no-store").send({ access_token: token, token_type: "Bearer", expires_in: expiresIn });
    });

    scope.get(`${ISSUER_PATH}/dev/users`, async () => ({
      users: Object.values(USERS)
        .filter((u: DemoUser) => !u.application)
        .map((u: DemoUser) => ({
          systemuserid: u.id,
          oid: u.oid,
          upn: u.upn,
          name: u.name,
          title: u.title,
          businessUnit: BUSINESS_UNITS[u.businessUnit].name,
          role: ROLES[u.roles[0]].name,
          description: `${u.title} · ${BUSINESS_UNITS[u.businessUnit].name} · ${ROLES[u.roles[0]].name}`,
        })),
    }));
  });
};
