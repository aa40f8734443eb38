/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1,
 * 30-second steps, 6 digits — what every authenticator app speaks.
 */
import { base32Encode } from "./crypto.ts";

export const STEP_SECONDS = 30;
export const DIGITS = 6;
/** Steps either side of now that are accepted, for clocks that drift and codes typed slowly. */
export const DRIFT_STEPS = 1;

export function stepAt(unixMs: number): number {
  return Math.floor(unixMs / 1000 / STEP_SECONDS);
}

export async function hotp(secret: Uint8Array, counter: number, digits = DIGITS): Promise<string> {
  const message = new Uint8Array(8);
  new DataView(message.buffer).setBigUint64(0, BigInt(counter));
  const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

export function totp(secret: Uint8Array, unixMs: number, digits = DIGITS): Promise<string> {
  return hotp(secret, stepAt(unixMs), digits);
}

/**
 * The step whose code matches, searching now ± DRIFT_STEPS, newer than
 * `after` (the last step already used, so a code works once); null if none.
 */
export async function matchStep(secret: Uint8Array, code: string, unixMs: number, after: number): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const now = stepAt(unixMs);
  let found: number | null = null;
  // Every candidate is computed, so the time taken does not tell which step matched.
  for (let step = now - DRIFT_STEPS; step <= now + DRIFT_STEPS; step++) {
    const expected = await hotp(secret, step);
    if (step > after && constantTimeEqualText(expected, code) && found === null) found = step;
  }
  return found;
}

function constantTimeEqualText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export function newSecret(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(20));
}

/** The otpauth:// URI that authenticator apps read from a QR code. */
export function otpauthUri(secret: Uint8Array, issuer: string, account: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = new URLSearchParams({
    secret: base32Encode(secret),
    issuer,
    algorithm: "SHA1",
    digits: String(DIGITS),
    period: String(STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}
