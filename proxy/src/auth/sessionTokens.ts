/**
 * The proxy's own session tokens, issued after the Dataverse sign-in handshake (routes/session.ts).
 * A path of their own, apart from the Entra/issuer verification in tokens.ts: their own issuer and
 * JWT type, their own key (HS256 with a secret every instance of the deployment shares, from
 * configuration), and their own algorithm list. A token is routed by its `typ` header only; each
 * path then verifies with nothing but its own keys and algorithms, so a token of one path can never
 * pass the other (an HS256 token is refused by the asymmetric-only Entra path, an RS256 token by this
 * HS256-only one).
 */
import { createHash } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, SignJWT } from "jose";
import { LRUCache } from "lru-cache";
import { ProxyError } from "../errors";
import type { Caller } from "./tokens";

/** JWT `typ` of session tokens (RFC 8725 §3.11: explicit typing keeps token kinds apart). */
export const SESSION_TOKEN_TYPE = "psh-session+jwt";
export const SESSION_ISSUER = "urn:photoshelter-proxy:session";
export const SESSION_AUDIENCE = "urn:photoshelter-proxy:api";
const ALGORITHMS = ["HS256"];
/** The instances of one deployment share a clock closely enough. */
const CLOCK_TOLERANCE_SECONDS = 5;

export interface SessionKeys {
  /** Signs new tokens and verifies. */
  current: Uint8Array;
  /** Still verifies, during a key rotation. */
  previous?: Uint8Array;
}

/** The Dataverse user a session token is issued for. */
export interface SessionUser {
  systemUserId: string;
  /** Entra object id: the rest of the proxy maps callers to Dataverse users by it (and impersonates with it). */
  oid: string;
  upn: string | null;
  name: string | null;
}

export interface IssuedSession {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
}

const unauthorized = (message: string) => new ProxyError("unauthorized", message);

/** Key id: a short hash of the key, so a token names the key it needs without revealing it. */
function keyId(key: Uint8Array): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 16);
}

/** Is this compact JWT (unverified) a session token? Only the routing decision; nothing is trusted from it. */
export function isSessionToken(jwt: string): boolean {
  try {
    return decodeProtectedHeader(jwt).typ === SESSION_TOKEN_TYPE;
  } catch {
    return false;
  }
}

export class SessionTokens {
  private readonly keys: Map<string, Uint8Array>;
  private readonly currentKid: string;
  private readonly verified = new LRUCache<string, { caller: Caller; expiresAt: number }>({ max: 10_000 });

  constructor(
    keys: SessionKeys,
    private readonly ttlSeconds: number,
  ) {
    this.currentKid = keyId(keys.current);
    this.keys = new Map([[this.currentKid, keys.current]]);
    if (keys.previous) this.keys.set(keyId(keys.previous), keys.previous);
  }

  async issue(user: SessionUser): Promise<IssuedSession> {
    const token = await new SignJWT({ oid: user.oid, ...(user.upn ? { upn: user.upn } : {}), ...(user.name ? { name: user.name } : {}) })
      .setProtectedHeader({ alg: "HS256", typ: SESSION_TOKEN_TYPE, kid: this.currentKid })
      .setIssuer(SESSION_ISSUER)
      .setAudience(SESSION_AUDIENCE)
      .setSubject(user.systemUserId)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.keys.get(this.currentKid)!);
    return { access_token: token, token_type: "Bearer", expires_in: this.ttlSeconds };
  }

  async verify(jwt: string): Promise<Caller> {
    const known = this.verified.get(jwt);
    if (known && known.expiresAt > Date.now()) return known.caller;
    let payload;
    try {
      ({ payload } = await jwtVerify(
        jwt,
        (header) => {
          const key = header.kid === undefined ? undefined : this.keys.get(header.kid);
          if (!key) throw new errors.JWKSNoMatchingKey();
          return key;
        },
        { issuer: SESSION_ISSUER, audience: SESSION_AUDIENCE, algorithms: ALGORITHMS, typ: SESSION_TOKEN_TYPE, requiredClaims: ["exp", "sub", "oid"], clockTolerance: CLOCK_TOLERANCE_SECONDS },
      ));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthorized("Token has expired");
      throw unauthorized("Token is invalid");
    }
    const text = (name: string) => (typeof payload[name] === "string" && payload[name] !== "" ? (payload[name] as string) : null);
    const oid = text("oid");
    if (!oid) throw unauthorized("Token is invalid");
    const caller: Caller = { oid, upn: text("upn"), name: text("name"), tenantId: null };
    this.verified.set(jwt, { caller, expiresAt: (payload.exp ?? 0) * 1000 });
    return caller;
  }
}

/** The parts of the Entra/issuer verifier the bearer check uses. */
export interface IssuerVerifier {
  verify(authorization: string | undefined): Promise<Caller>;
  ready(): Promise<void>;
}

/**
 * The bearer check of every /v1 route: session tokens go to SessionTokens (when this deployment signs
 * users in through Dataverse), everything else to the Entra/issuer verifier.
 */
export class BearerVerifier implements IssuerVerifier {
  /**
   * Authorization headers that passed their path's verification, until their token expires: a user's
   * later calls cost one look-up, not routing and parsing the token again. Only the exact header that
   * passed is remembered; any other text goes through the full check.
   */
  private readonly verified = new LRUCache<string, { caller: Caller; expiresAt: number }>({ max: 10_000 });

  constructor(
    private readonly issuer: IssuerVerifier,
    private readonly sessions: SessionTokens | null,
  ) {}

  async verify(authorization: string | undefined): Promise<Caller> {
    const known = authorization === undefined ? undefined : this.verified.get(authorization);
    if (known && known.expiresAt > Date.now()) return known.caller;
    const jwt = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(authorization ?? "")?.[1];
    let caller: Caller;
    if (jwt && isSessionToken(jwt)) {
      if (!this.sessions) throw unauthorized("Session tokens are not accepted: this proxy requires Entra ID tokens");
      caller = await this.sessions.verify(jwt);
    } else caller = await this.issuer.verify(authorization);
    // Verified just now, so its expiry can be read from it (both paths require `exp`).
    if (jwt) this.verified.set(authorization!, { caller, expiresAt: (decodeJwt(jwt).exp ?? 0) * 1000 });
    return caller;
  }

  ready(): Promise<void> {
    return this.issuer.ready();
  }
}
