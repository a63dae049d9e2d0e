/**
 * Token verification against a JWKS served over real HTTP from locally generated keys.
 */
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, JWK, KeyLike, SignJWT } from "jose";
import { TokenVerifier } from "../../../proxy/src/auth/tokens";

const AUDIENCE = "api://photoshelter-proxy";
let server: Server;
let issuer: string;
let published: JWK[] = [];
let jwksFetches = 0;
let keyA: { privateKey: KeyLike; jwk: JWK };
let keyB: { privateKey: KeyLike; jwk: JWK };

async function rsaKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

function token(key: { privateKey: KeyLike; jwk: JWK }, claims: Record<string, unknown> = {}, options: { iss?: string; aud?: string; exp?: number | string } = {}) {
  return new SignJWT({ oid: "0b6c3d1e-0000-4000-8000-000000000001", upn: "rep@example.com", name: "Rep", scp: "access_as_user", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: key.jwk.kid })
    .setIssuer(options.iss ?? issuer)
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? "10m")
    .sign(key.privateKey);
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

beforeAll(async () => {
  keyA = await rsaKey("key-a");
  keyB = await rsaKey("key-b");
  published = [keyA.jwk];
  server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/issuer/.well-known/openid-configuration") return res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    if (req.url === "/issuer/jwks") {
      jwksFetches += 1;
      return res.end(JSON.stringify({ keys: published }));
    }
    res.statusCode = 404;
    res.end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/issuer`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const verifier = () => new TokenVerifier({ issuer, audience: AUDIENCE, jwksUrl: null, jwksCooldownMs: 0 });

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error("expected the token to be refused");
}

describe("TokenVerifier", () => {
  it("accepts a valid token and returns the caller", async () => {
    const caller = await verifier().verify(`Bearer ${await token(keyA)}`);
    expect(caller).toEqual({ oid: "0b6c3d1e-0000-4000-8000-000000000001", upn: "rep@example.com", name: "Rep", tenantId: null });
  });

  it("refuses a missing or malformed Authorization header", async () => {
    expect(await rejection(verifier().verify(undefined))).toMatchObject({ code: "unauthorized", message: "A bearer token is required" });
    expect((await rejection(verifier().verify("Basic abc"))).message).toMatch(/Bearer <JWT>/);
  });

  it("refuses an expired token, a wrong audience and a wrong issuer", async () => {
    const expired = await token(keyA, {}, { exp: Math.floor(Date.now() / 1000) - 120 });
    expect((await rejection(verifier().verify(`Bearer ${expired}`))).message).toBe("Token has expired");
    const otherAudience = await token(keyA, {}, { aud: "api://someone-else" });
    expect((await rejection(verifier().verify(`Bearer ${otherAudience}`))).message).toBe("Token audience is not accepted");
    const otherIssuer = await token(keyA, {}, { iss: "https://evil.example.com/issuer" });
    expect((await rejection(verifier().verify(`Bearer ${otherIssuer}`))).message).toBe("Token issuer is not accepted");
  });

  it("refuses alg none and HMAC-signed tokens", async () => {
    const claims = { oid: "x", iss: issuer, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 };
    const none = `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`;
    expect((await rejection(verifier().verify(`Bearer ${none}`))).code).toBe("unauthorized");
    const hs = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: "key-a" }).sign(new TextEncoder().encode("a-shared-secret-that-is-long-enough!"));
    expect((await rejection(verifier().verify(`Bearer ${hs}`))).message).toBe("Token algorithm is not accepted");
  });

  it("refuses a tampered payload and a token missing the oid claim", async () => {
    const [header, , signature] = (await token(keyA)).split(".");
    const forged = `${header}.${b64({ oid: "someone-else", iss: issuer, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 })}.${signature}`;
    expect((await rejection(verifier().verify(`Bearer ${forged}`))).message).toBe("Token signature is invalid");
    const noOid = await token(keyA, { oid: undefined });
    expect((await rejection(verifier().verify(`Bearer ${noOid}`))).message).toMatch(/oid/);
  });

  it("caches the key set and fetches it again when the issuer rotates to a new key", async () => {
    const v = verifier();
    await v.verify(`Bearer ${await token(keyA)}`);
    const before = jwksFetches;
    await v.verify(`Bearer ${await token(keyA)}`);
    expect(jwksFetches).toBe(before);
    published = [keyB.jwk];
    expect((await v.verify(`Bearer ${await token(keyB)}`)).oid).toBeTruthy();
    expect(jwksFetches).toBe(before + 1);
    const stranger = await rsaKey("key-c");
    expect((await rejection(v.verify(`Bearer ${await token(stranger)}`))).message).toBe("Token was not signed by a key of the issuer");
    published = [keyA.jwk];
  });

  describe("delegated and app-only tokens", () => {
    const configured = () => new TokenVerifier({ issuer, audience: AUDIENCE, jwksUrl: null, jwksCooldownMs: 0, scopes: ["access_as_user"], appRoles: ["PhotoShelter.Integration"] });

    it("accepts a user's token that carries the configured scope, and refuses one that does not", async () => {
      expect((await configured().verify(`Bearer ${await token(keyA, { scp: "openid access_as_user" })}`)).app).toBeUndefined();
      const other = await rejection(configured().verify(`Bearer ${await token(keyA, { scp: "Files.Read" })}`));
      expect(other).toMatchObject({ code: "forbidden", message: expect.stringContaining("access_as_user") });
      // A user token (idtyp user) without any scope is not an app token in disguise.
      expect((await rejection(configured().verify(`Bearer ${await token(keyA, { scp: undefined, idtyp: "user", roles: ["PhotoShelter.Integration"] })}`))).code).toBe("forbidden");
    });

    it("accepts an app-only token only with a configured app role, as an application", async () => {
      const app = await token(keyA, { scp: undefined, idtyp: "app", roles: ["PhotoShelter.Integration"], upn: undefined, name: undefined });
      expect(await configured().verify(`Bearer ${app}`)).toMatchObject({ oid: "0b6c3d1e-0000-4000-8000-000000000001", app: true });
      // Without idtyp (an optional claim in Entra) a token with no scp is app-only too.
      expect((await configured().verify(`Bearer ${await token(keyA, { scp: undefined, roles: ["PhotoShelter.Integration"] })}`)).app).toBe(true);
      const noRole = await rejection(configured().verify(`Bearer ${await token(keyA, { scp: undefined, roles: ["Something.Else"] })}`));
      expect(noRole).toMatchObject({ code: "forbidden", message: expect.stringContaining("app role") });
      // No app roles configured: no application may call.
      expect((await rejection(verifier().verify(`Bearer ${app}`))).message).toMatch(/Application tokens are not accepted/);
    });
  });
});
