/**
 * VAPID (RFC 8292): a short-lived ES256 JWT per push service origin, signed
 * with the application server's key, sent with that key's public half.
 */
import { importJWK, SignJWT } from "jose";
import { fromBase64Url, toBase64Url } from "./bytes.ts";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

const signingKeys = new Map<string, Promise<CryptoKey>>();

function signingKey(keys: VapidKeys): Promise<CryptoKey> {
  let key = signingKeys.get(keys.publicKey);
  if (!key) {
    const point = fromBase64Url(keys.publicKey);
    key = importJWK(
      { kty: "EC", crv: "P-256", x: toBase64Url(point.subarray(1, 33)), y: toBase64Url(point.subarray(33, 65)), d: keys.privateKey },
      "ES256",
    ) as Promise<CryptoKey>;
    signingKeys.set(keys.publicKey, key);
  }
  return key;
}

/** The Authorization header value for a push to `endpoint`, valid for `ttlSeconds` (at most 24 hours). */
export async function vapidAuthorization(endpoint: string, keys: VapidKeys, ttlSeconds = 12 * 3600, now = Date.now()): Promise<string> {
  const audience = new URL(endpoint).origin;
  const jwt = await new SignJWT({ sub: keys.subject })
    .setProtectedHeader({ typ: "JWT", alg: "ES256" })
    .setAudience(audience)
    .setExpirationTime(Math.floor(now / 1000) + Math.min(ttlSeconds, 24 * 3600))
    .sign(await signingKey(keys));
  return `vapid t=${jwt}, k=${keys.publicKey}`;
}
