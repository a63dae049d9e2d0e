/**
 * Verifies the caller's bearer JWT: RS/PS/ES signature from the issuer's JWKS (cached; fetched again
 * when a token names an unknown key, i.e. after key rotation), issuer, audience, expiry and the claims
 * the proxy needs. `alg: none` and HMAC-signed tokens are refused because only asymmetric algorithms
 * are accepted. A user's (delegated) token must carry one of the configured scopes in `scp`; an
 * app-only (client-credentials) token has no `scp` and is accepted only with one of the configured app
 * roles in `roles` — it then acts as that application's user in Dataverse.
 */
import { createRemoteJWKSet, errors, JWTPayload, jwtVerify } from "jose";
import { LRUCache } from "lru-cache";
import { request } from "undici";
import { ProxyError } from "../errors";

export interface Caller {
  /** Entra object id (or the mock issuer's equivalent): maps to the Dataverse user. */
  oid: string;
  upn: string | null;
  name: string | null;
  tenantId: string | null;
  /** An application calling with its own identity (client credentials), not a signed-in person. */
  app?: boolean;
}

export interface TokenSettings {
  issuer: string;
  audience: string;
  jwksUrl: string | null;
  /** Least time between two JWKS fetches triggered by unknown key ids. */
  jwksCooldownMs?: number;
  /** Delegated scopes a user's token must carry one of (`scp`); empty: any. */
  scopes?: readonly string[];
  /** App roles an app-only token must carry one of (`roles`); empty: app-only tokens are refused. */
  appRoles?: readonly string[];
}

const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"];
const CLOCK_TOLERANCE_SECONDS = 30;

const unauthorized = (message: string) => new ProxyError("unauthorized", message);
/** A valid token that does not grant this API: 403 (RFC 6750 insufficient_scope), never a second try with the same token. */
const insufficient = (message: string) => new ProxyError("forbidden", message);

/** Verified tokens remembered, so a busy user's calls skip the signature check until the token expires. */
const VERIFIED_TOKENS = 10_000;

export class TokenVerifier {
  private keys: ReturnType<typeof createRemoteJWKSet> | null = null;
  private readonly verified = new LRUCache<string, { caller: Caller; expiresAt: number }>({ max: VERIFIED_TOKENS });

  constructor(private readonly settings: TokenSettings) {}

  async verify(authorization: string | undefined): Promise<Caller> {
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorization ?? "");
    if (!match) throw unauthorized(authorization ? "Authorization header must be 'Bearer <JWT>'" : "A bearer token is required");
    // Only the exact token string that passed verification is remembered; any change to it is verified afresh.
    const known = this.verified.get(match[1]);
    if (known && known.expiresAt > Date.now()) return known.caller;
    const keys = await this.keySet();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1], keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ["exp", "oid"],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      throw this.explain(error);
    }
    const claim = (name: string): string | null => (typeof payload[name] === "string" && payload[name] !== "" ? (payload[name] as string) : null);
    const oid = claim("oid");
    if (!oid) throw unauthorized("Token is missing the oid claim");
    const app = this.authorize(payload);
    const caller: Caller = { oid, upn: claim("upn") ?? claim("preferred_username"), name: claim("name"), tenantId: claim("tid"), ...(app ? { app } : {}) };
    this.verified.set(match[1], { caller, expiresAt: (payload.exp ?? 0) * 1000 });
    return caller;
  }

  /**
   * Delegated or app-only, and allowed either way? Entra puts `scp` only in delegated tokens and
   * `roles` (app roles) in app-only ones; `idtyp: "app"` marks app-only tokens where it is present.
   * Returns true for an app-only token.
   */
  private authorize(payload: JWTPayload): boolean {
    const scopes = typeof payload.scp === "string" ? payload.scp.split(" ").filter(Boolean) : [];
    const appOnly = payload.idtyp === "app" || (scopes.length === 0 && payload.idtyp !== "user");
    if (!appOnly) {
      const wanted = this.settings.scopes ?? [];
      if (wanted.length > 0 && !scopes.some((scope) => wanted.includes(scope))) throw insufficient(`Token does not carry the scope this API needs (${wanted.join(" or ")})`);
      return false;
    }
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((role): role is string => typeof role === "string") : [];
    const allowed = this.settings.appRoles ?? [];
    if (allowed.length === 0) throw insufficient("Application tokens are not accepted: this API serves signed-in users");
    if (!roles.some((role) => allowed.includes(role))) throw insufficient(`Application token does not carry an app role this API accepts (${allowed.join(" or ")})`);
    return true;
  }

  /** Reachability of the issuer's keys, for /readyz. */
  async ready(): Promise<void> {
    await this.jwksUrl();
  }

  private async keySet(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (!this.keys) {
      const url = await this.jwksUrl();
      // jose caches the set and refetches it for an unknown kid (at most every cooldown period).
      this.keys = createRemoteJWKSet(new URL(url), { cooldownDuration: this.settings.jwksCooldownMs ?? 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5000 });
    }
    return this.keys;
  }

  private discovered: string | null = null;

  private async jwksUrl(): Promise<string> {
    if (this.settings.jwksUrl) return this.settings.jwksUrl;
    if (this.discovered) return this.discovered;
    try {
      const response = await request(`${this.settings.issuer}/.well-known/openid-configuration`, { headersTimeout: 5000, bodyTimeout: 5000 });
      const body = (await response.body.json()) as { jwks_uri?: unknown };
      if (response.statusCode !== 200 || typeof body.jwks_uri !== "string") throw new Error(`HTTP ${response.statusCode}`);
      this.discovered = body.jwks_uri;
      return body.jwks_uri;
    } catch {
      throw new ProxyError("upstream_unavailable", "The token issuer's configuration could not be read");
    }
  }

  private explain(error: unknown): ProxyError {
    if (error instanceof errors.JWTExpired) return unauthorized("Token has expired");
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === "iss") return unauthorized("Token issuer is not accepted");
      if (error.claim === "aud") return unauthorized("Token audience is not accepted");
      return unauthorized(`Token claim "${error.claim}" is missing or invalid`);
    }
    if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return unauthorized("Token algorithm is not accepted");
    if (error instanceof errors.JWKSNoMatchingKey) return unauthorized("Token was not signed by a key of the issuer");
    if (error instanceof errors.JWSSignatureVerificationFailed) return unauthorized("Token signature is invalid");
    if (error instanceof errors.JWKSTimeout || (error as { code?: string })?.code === "ERR_JOSE_GENERIC") {
      return new ProxyError("upstream_unavailable", "The token issuer's keys could not be read");
    }
    return unauthorized("Token is invalid");
  }
}
