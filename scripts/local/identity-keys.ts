/**
 * Generates the identity secrets the Worker needs: private JWKs that sign
 * access tokens and the key that encrypts TOTP secrets. Used at test-config
 * time, by `npm run dev` (kept in .data/) and by the benchmarks, so no
 * private key is ever committed.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";

export type SigningAlg = "EdDSA" | "ES256";

export function generateSigningJwk(kid: string, alg: SigningAlg = "EdDSA"): Record<string, string> {
  const { privateKey } = alg === "EdDSA" ? generateKeyPairSync("ed25519") : generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { ...(privateKey.export({ format: "jwk" }) as Record<string, string>), kid, alg, use: "sig" };
}

/** A JSON array for JWT_SIGNING_KEYS, newest (signing) key first. */
export function signingKeysVar(keys: { kid: string; alg?: SigningAlg }[]): string {
  return JSON.stringify(keys.map((k) => generateSigningJwk(k.kid, k.alg)));
}

export function encryptionKeyVar(): string {
  return randomBytes(32).toString("base64");
}
