/**
 * v4 sign-in: /authenticate (token and cookie mode), logout, OAuth 2 (register, authorize with the
 * delegation form, token, refresh), organization switching, /user/session and /user/invites.
 * Bodies may be form-urlencoded (the draft spec), JSON (PhotoShelter's WordPress plugin,
 * `includes/classes/API/RemoteSource.php` `api_request_post`) or multipart/form-data: PHP cURL
 * sends an array in CURLOPT_POSTFIELDS as multipart, which is how `SpencerAP/oauth-tester`
 * `src.php` `apiCall` posts to /oauth/token and `timatron/PhotoSheleter2` `api-token-example.php`
 * to authenticate.
 */
import multipart from "@fastify/multipart";
import { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { oauthError } from "./auth";
import { PsError, badRequest, pagingMeta, pagingOf, pageOf, paramsOf } from "./envelope";
import { containerResource, v4Of } from "./resources";
import { PhotoShelterState } from "./state";
import { MEMBER_USER } from "./wellKnown";

const OK = { meta: { status: "OK" } };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Registers the sign-in routes in their own scope, the only v4 routes that read multipart form fields. */
export async function authRoutes(v4: FastifyInstance, state: () => PhotoShelterState): Promise<void> {
  await v4.register(async (app) => {
    await app.register(multipart, { attachFieldsToBody: "keyValues", limits: { fields: 50, fieldSize: 16 * 1024, files: 0 } });
    signInRoutes(app, state);
  });
}

function signInRoutes(app: FastifyInstance, state: () => PhotoShelterState): void {
  const login = async (request: FastifyRequest, reply: FastifyReply) => {
    const p = paramsOf(request);
    if (!p.email || !p.password || !p.mode) throw badRequest("email, password and mode are required.");
    if (p.mode !== "token" && p.mode !== "cookie") throw badRequest("mode must be token or cookie.");
    if (!state().auth.checkCredentials(p.email, p.password)) throw new PsError(401, "InvalidCredentialsException", "Invalid credentials", "The email or password is not correct.");
    const session = state().auth.startSession(null);
    if (p.org_id) state().auth.switchOrganization(session, p.org_id);
    if (p.mode === "cookie") reply.header("set-cookie", `ps_session=${session.token}; Path=/; HttpOnly; SameSite=Lax`);
    return {
      token: p.mode === "token" ? session.token : undefined,
      org: state().auth.organizations().map((o) => ({ id: o.id, name: o.name, member: true })),
      two_factor: false,
      meta: { status: "OK" },
    };
  };
  app.post("/authenticate", login);
  app.get("/authenticate", login);

  const logout = async (request: FastifyRequest) => {
    const session = state().auth.member(request);
    state().auth.end(session.token);
    return OK;
  };
  app.get("/authenticate/logout", logout);
  app.post("/authenticate/logout", logout);

  app.post("/oauth/register", async (request, reply) => {
    const p = paramsOf(request);
    const redirectUri = p.redirect_uri || p.callback_url;
    const missing = ["application_name", "description", "email", "name"].filter((k) => !p[k]);
    if (!redirectUri) missing.push("redirect_uri");
    if (missing.length) throw badRequest(`Missing required fields: ${missing.join(", ")}.`);
    for (const field of ["application_name", "name"]) if (p[field].length > 80) throw badRequest(`${field} must be at most 80 characters.`);
    if (!/^https?:\/\//.test(redirectUri)) throw badRequest("redirect_uri must be an http(s) URL.");
    const client = state().auth.registerClient({
      applicationName: p.application_name,
      description: p.description,
      email: p.email,
      name: p.name,
      redirectUri,
      scopes: p.scopes ?? "",
      companyName: p.company_name ?? null,
      homepageUri: p.homepage_uri ?? null,
      privacyPolicyUri: p.privacy_policy_uri ?? null,
      logoUri: p.logo_uri ?? null,
    });
    // 200, as the spec's paths/oauthRegister.yaml says; the WordPress plugin's ClientRemote::handle_response
    // (includes/classes/API/ClientRemote.php) treats every other status as an error.
    return reply.code(200).send({
      data: {
        id: client.id,
        type: "oAuthClient",
        attributes: {
          client_id: client.clientId,
          client_secret: client.clientSecret,
          application_name: client.applicationName,
          description: client.description,
          email: client.email,
          name: client.name,
          redirect_uri: client.redirectUri,
          scopes: client.scopes,
          company_name: client.companyName,
          homepage_uri: client.homepageUri,
          privacy_policy_uri: client.privacyPolicyUri,
          logo_uri: client.logoUri,
        },
      },
      meta: {},
    });
  });

  /** Checks response_type, client and redirect_uri of an authorization request. */
  const authorizeRequest = (p: Record<string, string>) => {
    if (p.response_type !== "code") throw oauthError(400, "The authorization grant type is not supported by the authorization server.", "response_type must be code.");
    const client = state().auth.client(p.client_id);
    if (!client) throw oauthError(401, "Client authentication failed", "Unknown client_id.");
    const redirectUri = p.redirect_uri || client.redirectUri;
    if (redirectUri !== client.redirectUri) throw oauthError(400, "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.", "redirect_uri does not match the registered one.");
    return { client, redirectUri };
  };

  // PhotoShelter shows an "OAuth delegation form"; the mock's form asks for the member's email and password.
  app.get("/oauth/authorize", async (request, reply) => {
    const p = paramsOf(request);
    const { client } = authorizeRequest(p);
    const hidden = ["response_type", "client_id", "redirect_uri", "state", "api_key"]
      .filter((k) => p[k] !== undefined)
      .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(p[k])}">`)
      .join("");
    return reply
      .type("text/html; charset=utf-8")
      .send(
        `<!doctype html><html><head><title>Authorize ${escapeHtml(client.applicationName)}</title></head><body><h1>Allow ${escapeHtml(client.applicationName)} to access your PhotoShelter account?</h1>` +
          `<form method="post" action="authorize?api_key=${encodeURIComponent(p.api_key ?? "")}">${hidden}<label>Email <input name="email" type="email"></label><label>Password <input name="password" type="password"></label><button type="submit" name="approve" value="yes">Allow</button></form></body></html>`,
      );
  });

  app.post("/oauth/authorize", async (request, reply) => {
    const p = paramsOf(request);
    const { client, redirectUri } = authorizeRequest(p);
    const target = new URL(redirectUri);
    if (p.state !== undefined) target.searchParams.set("state", p.state);
    if (p.approve === "no") {
      target.searchParams.set("error", "access_denied");
      return reply.redirect(target.toString(), 302);
    }
    if (!state().auth.checkCredentials(p.email, p.password)) throw new PsError(401, "InvalidCredentialsException", "Invalid credentials", "The email or password is not correct.");
    target.searchParams.set("code", state().auth.issueCode(client, redirectUri));
    return reply.redirect(target.toString(), 302);
  });

  app.post("/oauth/token", async (request) => {
    const p = paramsOf(request);
    if (p.grant_type === "authorization_code") return state().auth.exchangeCode(p);
    if (p.grant_type === "refresh_token") return state().auth.refresh(p);
    throw oauthError(400, "The authorization grant type is not supported by the authorization server.", "grant_type must be authorization_code or refresh_token.");
  });

  app.post("/organization/authenticate", async (request) => {
    const p = paramsOf(request);
    if (!p.org_id) throw badRequest("org_id is required.");
    if (!/^O0000[a-zA-Z0-9._]{11}$/.test(p.org_id)) throw badRequest("org_id is not an organization id.");
    state().auth.switchOrganization(state().auth.member(request), p.org_id);
    return OK;
  });
  const orgLogout = async (request: FastifyRequest) => {
    state().auth.switchOrganization(state().auth.member(request), null);
    return OK;
  };
  app.get("/organization/logout", orgLogout);
  app.post("/organization/logout", orgLogout);

  app.get("/user/session", async (request) => {
    const v4 = v4Of(state(), request, "required");
    const session = v4.session!;
    const resource: Record<string, unknown> = {
      id: session.userId,
      type: "session",
      attributes: {
        user_id: session.userId,
        email: session.email,
        first_name: MEMBER_USER.firstName,
        last_name: MEMBER_USER.lastName,
        org_id: session.orgId,
        auth_type: session.kind === "oauth" ? "oauth" : "token",
      },
    };
    if (v4.include.has("organizations"))
      resource.includes = { organizations: { data: state().auth.organizations().map((o) => ({ id: o.id, type: "organization", attributes: { name: o.name, member: true } })) } };
    return { data: resource, meta: {} };
  });

  // Containers shared with the caller through a contact permission (invitation) by email.
  app.get("/user/invites", async (request) => {
    const v4 = v4Of(state(), request, "required");
    const email = v4.session!.email.toLowerCase();
    const shared = [...state().library.containers.values()].filter((c) => c.permissions.some((p) => p.type === "contact" && p.email?.toLowerCase() === email));
    const paging = pagingOf(v4.params);
    return { data: pageOf(shared, paging).map((c) => containerResource(v4, c)), meta: { total: shared.length, paging: pagingMeta(request, v4.base, shared.length, paging) } };
  });
}
