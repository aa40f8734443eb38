/**
 * The signing key ring, from JWT_SIGNING_KEYS (private JWKs, newest first).
 * The first key signs; every key verifies and is published at
 * /api/auth/.well-known/jwks.json, so during a rotation tokens signed with
 * the previous key stay valid until they expire. Imported once per isolate.
 */
import { createLocalJWKSet, importJWK, type JWK, type JWTVerifyGetKey } from "jose";
import { ApiError } from "../platform/errors.ts";
import type { Runtime } from "../platform/runtime.ts";
import { identityConfig, type SigningJwk } from "./config.ts";
import { IdentityErrors } from "./errors.ts";

export interface KeyRing {
  signing: { kid: string; alg: "EdDSA" | "ES256"; key: CryptoKey };
  /** Public keys only: what may be published. */
  jwks: { keys: JWK[] };
  verifyKey: JWTVerifyGetKey;
  /** The algorithms of the configured keys: verification accepts these and no others. */
  algorithms: ("EdDSA" | "ES256")[];
}

/** The public half of a private JWK: named fields are copied, so no private member can leak. */
export function publicJwk(jwk: SigningJwk): JWK {
  const base = { kty: jwk.kty, crv: jwk.crv, kid: jwk.kid, alg: jwk.alg, use: "sig", x: jwk.x as string };
  return jwk.kty === "EC" ? { ...base, y: jwk.y as string } : base;
}

const rings = new WeakMap<object, Promise<KeyRing>>();

async function build(keys: SigningJwk[]): Promise<KeyRing> {
  const newest = keys[0]!;
  const key = (await importJWK(newest as JWK, newest.alg)) as CryptoKey;
  const jwks = { keys: keys.map(publicJwk) };
  return {
    signing: { kid: newest.kid, alg: newest.alg, key },
    jwks,
    verifyKey: createLocalJWKSet(jwks),
    algorithms: [...new Set(keys.map((k) => k.alg))],
  };
}

/** The key ring, or null when no signing keys are configured. */
export function keyRing(rt: Pick<Runtime, "vars">): Promise<KeyRing> | null {
  const keys = identityConfig.read(rt).JWT_SIGNING_KEYS;
  if (!keys) return null;
  let ring = rings.get(keys);
  if (!ring) {
    ring = build(keys);
    rings.set(keys, ring);
  }
  return ring;
}

export function requireKeyRing(rt: Pick<Runtime, "vars">): Promise<KeyRing> {
  const ring = keyRing(rt);
  if (!ring) throw new ApiError(IdentityErrors.SIGNING_KEYS_MISSING, "Sign-in is not configured on this server (JWT_SIGNING_KEYS)");
  return ring;
}
