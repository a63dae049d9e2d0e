/**
 * Who is calling: the API key every call needs, member sessions (email/password token mode), OAuth 2
 * clients, codes and expiring access tokens, and the organization each token is switched into
 * (PhotoShelter keeps that as server-side session state, per token).
 */
import { FastifyRequest } from "fastify";
import { randomBytes } from "node:crypto";
import { apiKeyOf } from "../admin";
import type { MockSettings } from "../config";
import { PsError, notAuthorized } from "./envelope";
import { MEMBER_USER, ORGANIZATION } from "./wellKnown";

export interface Session {
  token: string;
  kind: "session" | "oauth";
  userId: string;
  email: string;
  /** Organization the token is switched into, or null for the user's own account. */
  orgId: string | null;
  /** OAuth access tokens expire; sessions expire after idling. */
  expiresAt: number | null;
  lastUsedAt: number;
  clientId: string | null;
}

export interface OAuthClient {
  id: string;
  clientId: string;
  clientSecret: string;
  applicationName: string;
  description: string;
  email: string;
  name: string;
  redirectUri: string;
  scopes: string;
  companyName: string | null;
  homepageUri: string | null;
  privacyPolicyUri: string | null;
  logoUri: string | null;
}

interface Grant {
  clientId: string;
  userId: string;
  email: string;
  redirectUri: string;
  expiresAt: number;
}

export interface OAuthTokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: "Bearer";
}

const newToken = (bytes = 24) => randomBytes(bytes).toString("base64url");

export const oauthError = (status: number, title: string, detail: string) =>
  new PsError(status, "OAuthServerException", title, detail, { "www-authenticate": 'Bearer error="invalid_token"' });

const DENIED = "The resource owner or authorization server denied the request.";

export class AuthStore {
  /** Lifetime of OAuth access tokens; tests shorten it through /__admin/photoshelter/oauth. */
  accessTokenTtlSeconds = 3600;
  /** PhotoShelter sessions end after two hours without a call. */
  readonly sessionIdleSeconds = 7200;
  private sessions = new Map<string, Session>();
  private clients = new Map<string, OAuthClient>();
  private codes = new Map<string, Grant>();
  private refreshTokens = new Map<string, Omit<Grant, "redirectUri" | "expiresAt">>();
  private nextClient = 1;

  constructor(private readonly settings: MockSettings) {}

  validApiKey(request: FastifyRequest): boolean {
    return apiKeyOf(request) === this.settings.psApiKey;
  }

  checkCredentials(email: string | undefined, password: string | undefined): boolean {
    return !!email && email.toLowerCase() === this.settings.psEmail.toLowerCase() && password === this.settings.psPassword;
  }

  /** The organizations the member belongs to (the mock has one). */
  organizations() {
    return [ORGANIZATION];
  }

  startSession(orgId: string | null): Session {
    const session: Session = { token: newToken(), kind: "session", userId: MEMBER_USER.id, email: this.settings.psEmail, orgId, expiresAt: null, lastUsedAt: Date.now(), clientId: null };
    this.sessions.set(session.token, session);
    return session;
  }

  end(token: string): void {
    this.sessions.delete(token);
  }

  registerClient(fields: Omit<OAuthClient, "id" | "clientId" | "clientSecret">): OAuthClient {
    const client: OAuthClient = { ...fields, id: `OAC00${String(this.nextClient++).padStart(11, "0")}`, clientId: newToken(16), clientSecret: newToken(32) };
    this.clients.set(client.clientId, client);
    return client;
  }

  client(clientId: string | undefined): OAuthClient | undefined {
    return clientId ? this.clients.get(clientId) : undefined;
  }

  /** After the member approves the delegation form: a one-time code valid for ten minutes. */
  issueCode(client: OAuthClient, redirectUri: string): string {
    const code = newToken();
    this.codes.set(code, { clientId: client.clientId, userId: MEMBER_USER.id, email: this.settings.psEmail, redirectUri, expiresAt: Date.now() + 600_000 });
    return code;
  }

  private authenticateClient(clientId: string | undefined, clientSecret: string | undefined): OAuthClient {
    const client = this.client(clientId);
    if (!client || client.clientSecret !== clientSecret) throw oauthError(401, "Client authentication failed", "Unknown client_id or wrong client_secret.");
    return client;
  }

  private issueTokens(grant: Omit<Grant, "redirectUri" | "expiresAt">): OAuthTokens {
    const session: Session = { token: newToken(), kind: "oauth", userId: grant.userId, email: grant.email, orgId: null, expiresAt: Date.now() + this.accessTokenTtlSeconds * 1000, lastUsedAt: Date.now(), clientId: grant.clientId };
    this.sessions.set(session.token, session);
    const refresh = newToken(32);
    this.refreshTokens.set(refresh, grant);
    return { access_token: session.token, refresh_token: refresh, expires_in: this.accessTokenTtlSeconds, token_type: "Bearer" };
  }

  exchangeCode(p: Record<string, string>): OAuthTokens {
    const client = this.authenticateClient(p.client_id, p.client_secret);
    const grant = this.codes.get(p.code ?? "");
    this.codes.delete(p.code ?? "");
    if (!grant || grant.clientId !== client.clientId || grant.expiresAt < Date.now()) throw oauthError(400, "The provided authorization grant is invalid, expired, revoked or was issued to another client.", "Check the code parameter.");
    if (grant.redirectUri !== p.redirect_uri) throw oauthError(400, "The provided authorization grant is invalid, expired, revoked or was issued to another client.", "redirect_uri does not match the authorization request.");
    return this.issueTokens(grant);
  }

  /** Refresh tokens are single-use: each refresh returns a new pair. */
  refresh(p: Record<string, string>): OAuthTokens {
    const client = this.authenticateClient(p.client_id, p.client_secret);
    const grant = this.refreshTokens.get(p.refresh_token ?? "");
    if (!grant || grant.clientId !== client.clientId) throw oauthError(401, "The refresh token is invalid.", "Token has been revoked or was issued to another client.");
    this.refreshTokens.delete(p.refresh_token);
    return this.issueTokens(grant);
  }

  /** Makes every OAuth access token (or one) expire now, so tests can see OAuthServerException. */
  expireAccessTokens(token?: string): number {
    let count = 0;
    for (const session of this.sessions.values()) {
      if (session.kind === "oauth" && (!token || session.token === token)) {
        session.expiresAt = Date.now() - 1;
        count++;
      }
    }
    return count;
  }

  /**
   * The member session behind a request: `Authorization: Bearer`, `X-PS-Auth-Token`, the v3
   * `auth_token` query or the cookie of cookie mode. Throws PhotoShelter's 401s.
   */
  member(request: FastifyRequest): Session {
    const authorization = request.headers.authorization;
    const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    const query = request.query as Record<string, unknown> | undefined;
    const psToken = (request.headers["x-ps-auth-token"] as string | undefined) ?? (typeof query?.auth_token === "string" ? query.auth_token : undefined) ?? cookie(request, "ps_session");
    const token = bearer ?? psToken;
    if (!token) throw notAuthorized("Member");
    const session = this.sessions.get(token);
    const now = Date.now();
    const expired = session && (session.expiresAt !== null ? session.expiresAt <= now : session.lastUsedAt + this.sessionIdleSeconds * 1000 <= now);
    if (!session || expired) {
      if (session) this.sessions.delete(token);
      if (bearer) throw oauthError(401, DENIED, expired ? "Access token has expired" : "Access token could not be verified");
      throw notAuthorized("Member", expired ? "Your session has expired. Please authenticate again." : "The auth token is not valid.");
    }
    session.lastUsedAt = now;
    return session;
  }

  /** The member session if the request carries valid credentials, else null (for public routes). */
  optionalMember(request: FastifyRequest): Session | null {
    const hasCredentials = request.headers.authorization || request.headers["x-ps-auth-token"] || (request.query as Record<string, unknown> | undefined)?.auth_token || cookie(request, "ps_session");
    return hasCredentials ? this.member(request) : null;
  }

  /** Switches a token into an organization; the member must belong to it. */
  switchOrganization(session: Session, orgId: string | null): void {
    if (orgId !== null && !this.organizations().some((o) => o.id === orgId)) throw notAuthorized("Organization", `You are not a member of organization ${orgId}.`);
    session.orgId = orgId;
  }
}

function cookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}
