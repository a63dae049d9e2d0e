/**
 * The issuer's signing key: one RS256 key pair generated when the mock starts (tokens from an
 * earlier run stop verifying, as after a key rotation). The key id is the JWK thumbprint.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, type KeyLike } from "jose";

export interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  publicKey: KeyLike;
  publicJwk: JWK;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicKey, publicJwk: { ...jwk, kid, alg: "RS256", use: "sig" } };
}
