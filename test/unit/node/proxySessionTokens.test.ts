/**
 * The proxy's own session tokens: issued and verified with the deployment's key only, typed, short
 * lived, and kept apart from the Entra/issuer path (no key and no algorithm in common).
 */
import { generateKeyPair, SignJWT } from "jose";
import { BearerVerifier, SESSION_AUDIENCE, SESSION_ISSUER, SESSION_TOKEN_TYPE, SessionTokens, type IssuerVerifier } from "../../../proxy/src/auth/sessionTokens";
import type { Caller } from "../../../proxy/src/auth/tokens";
import { ProxyError } from "../../../proxy/src/errors";

const KEY = new TextEncoder().encode("a-test-signing-key-not-a-secret-0123456789");
const OTHER_KEY = new TextEncoder().encode("another-test-key-not-a-secret-0123456789ab");
const USER = { systemUserId: "00000000-0000-4000-8000-000000000002", oid: "00000000-0000-4000-8000-0000000000a2", upn: "riley.rep@contoso.example", name: "Riley Rep" };

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProxyError);
    expect((error as ProxyError).status).toBe(401);
    return (error as ProxyError).message;
  }
  throw new Error("expected a 401");
}

describe("session tokens", () => {
  it("issues a short-lived token for a Dataverse user that verifies to the same caller", async () => {
    const sessions = new SessionTokens({ current: KEY }, 600);
    const issued = await sessions.issue(USER);
    expect(issued).toMatchObject({ token_type: "Bearer", expires_in: 600 });
    const [header, payload] = issued.access_token.split(".").slice(0, 2).map((part) => JSON.parse(Buffer.from(part, "base64url").toString()));
    expect(header).toMatchObject({ alg: "HS256", typ: SESSION_TOKEN_TYPE });
    expect(payload).toMatchObject({ iss: SESSION_ISSUER, aud: SESSION_AUDIENCE, sub: USER.systemUserId, oid: USER.oid });
    expect(payload.exp - payload.iat).toBe(600);
    expect(await sessions.verify(issued.access_token)).toEqual({ oid: USER.oid, upn: USER.upn, name: USER.name, tenantId: null });
  });

  it("is accepted by another instance with the same key, and during a key rotation, but not with another key", async () => {
    const token = (await new SessionTokens({ current: KEY }, 600).issue(USER)).access_token;
    expect((await new SessionTokens({ current: KEY }, 600).verify(token)).oid).toBe(USER.oid);
    expect((await new SessionTokens({ current: OTHER_KEY, previous: KEY }, 600).verify(token)).oid).toBe(USER.oid);
    expect(await refusal(new SessionTokens({ current: OTHER_KEY }, 600).verify(token))).toBe("Token is invalid");
  });

  it("refuses expired, tampered and untyped tokens", async () => {
    const sessions = new SessionTokens({ current: KEY }, 600);
    const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
      new SignJWT({ oid: USER.oid, ...claims }).setProtectedHeader({ alg: "HS256", typ: SESSION_TOKEN_TYPE, kid: sessions["currentKid"], ...header }).setIssuer(SESSION_ISSUER).setAudience(SESSION_AUDIENCE).setSubject(USER.systemUserId).sign(KEY);
    const now = Math.floor(Date.now() / 1000);
    expect(await refusal(sessions.verify(await sign({ exp: now - 60 })))).toBe("Token has expired");
    expect(await refusal(sessions.verify(await sign({ exp: now + 60 }, { typ: "JWT" })))).toBe("Token is invalid");
    expect(await refusal(sessions.verify(await sign({ exp: now + 60 }, { kid: "unknown" })))).toBe("Token is invalid");
    const good = (await sessions.issue(USER)).access_token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(good[1], "base64url").toString()), oid: "00000000-0000-4000-8000-0000000000a1" })).toString("base64url");
    expect(await refusal(sessions.verify([good[0], forged, good[2]].join(".")))).toBe("Token is invalid");
  });

  it("routes by token type only; each path verifies with nothing of the other's", async () => {
    const sessions = new SessionTokens({ current: KEY }, 600);
    const entraCaller: Caller = { oid: "entra-oid", upn: null, name: null, tenantId: "t" };
    const entra: IssuerVerifier & { seen: string[] } = {
      seen: [],
      async verify(authorization) {
        this.seen.push(authorization ?? "");
        return entraCaller;
      },
      ready: async () => undefined,
    };
    const bearer = new BearerVerifier(entra, sessions);
    const session = (await sessions.issue(USER)).access_token;
    expect((await bearer.verify(`Bearer ${session}`)).oid).toBe(USER.oid);
    expect(entra.seen).toEqual([]);
    // An RS256 token claiming to be a session token goes to the session path and fails there.
    const { privateKey } = await generateKeyPair("RS256");
    const rsa = await new SignJWT({ oid: USER.oid }).setProtectedHeader({ alg: "RS256", typ: SESSION_TOKEN_TYPE }).setIssuer(SESSION_ISSUER).setAudience(SESSION_AUDIENCE).setSubject(USER.systemUserId).setExpirationTime("5m").sign(privateKey);
    expect(await refusal(bearer.verify(`Bearer ${rsa}`))).toBe("Token is invalid");
    expect(entra.seen).toEqual([]);
    // Anything else is the Entra path's to judge.
    const other = await new SignJWT({ oid: "x" }).setProtectedHeader({ alg: "HS256" }).sign(KEY);
    expect(await bearer.verify(`Bearer ${other}`)).toBe(entraCaller);
    expect(entra.seen).toEqual([`Bearer ${other}`]);
    // Where the organization requires Entra tokens, session tokens are refused outright.
    expect(await refusal(new BearerVerifier(entra, null).verify(`Bearer ${session}`))).toMatch(/requires Entra ID tokens/);
  });

  it("remembers a header that passed until its token expires; any other text is checked in full", async () => {
    const entraCaller: Caller = { oid: "entra-oid", upn: null, name: null, tenantId: "t" };
    let checks = 0;
    let accept = true;
    const entra: IssuerVerifier = {
      async verify() {
        checks += 1;
        if (!accept) throw new ProxyError("unauthorized", "Token signature is invalid");
        return entraCaller;
      },
      ready: async () => undefined,
    };
    const bearer = new BearerVerifier(entra, null);
    const now = Math.floor(Date.now() / 1000);
    const live = await new SignJWT({ oid: "x" }).setProtectedHeader({ alg: "HS256" }).setExpirationTime(now + 60).sign(KEY);
    expect(await bearer.verify(`Bearer ${live}`)).toBe(entraCaller);
    expect(await bearer.verify(`Bearer ${live}`)).toBe(entraCaller);
    expect(checks).toBe(1);
    // A changed signature is a different header: verified, and refused.
    accept = false;
    expect(await refusal(bearer.verify(`Bearer ${live.slice(0, -2)}AA`))).toBe("Token signature is invalid");
    expect(checks).toBe(2);
    // A token past its expiry is never answered from memory.
    accept = true;
    const expired = await new SignJWT({ oid: "x" }).setProtectedHeader({ alg: "HS256" }).setExpirationTime(now - 1).sign(KEY);
    await bearer.verify(`Bearer ${expired}`);
    await bearer.verify(`Bearer ${expired}`);
    expect(checks).toBe(4);
  });
});
