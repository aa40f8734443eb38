/**
 * Password hashing with WebCrypto PBKDF2-SHA256, so the same code runs in
 * Node 22 (the seed script) and in Cloudflare Workers (sign-in). No `node:`
 * imports and no Buffer: only globalThis.crypto.subtle, btoa and atob.
 *
 * Stored format: `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>`.
 * The algorithm and iteration count travel with the hash, so the count can be
 * raised later without invalidating existing hashes.
 *
 * The default of 100,000 iterations is deliberate: the deployed Workers
 * runtime rejects PBKDF2 above 100,000 iterations ("iteration counts above
 * 100000 are not supported"), while Node and, reportedly, local workerd
 * accept more. A higher count would make hashes that verify in tests and in
 * the seed script but fail every sign-in in production, so hashPassword
 * refuses it.
 */
const ALGORITHM = "pbkdf2-sha256";
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** The Workers runtime's upper limit for PBKDF2 iterations. */
export const MAX_ITERATIONS = 100_000;

export async function hashPassword(password: string, iterations = MAX_ITERATIONS): Promise<string> {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
    throw new RangeError(`iterations must be an integer from 1 to ${MAX_ITERATIONS}, got ${iterations}`);
  }
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations, KEY_BYTES);
  return `${ALGORITHM}$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

/** False for a wrong password and for any stored value that is not in the expected format. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 4 || parts[0] !== ALGORITHM) return false;
  const iterations = Number(parts[1]);
  if (!Number.isInteger(iterations) || iterations < 1) return false;
  const salt = fromBase64(parts[2]!);
  const expected = fromBase64(parts[3]!);
  if (!salt || !expected || expected.length === 0) return false;
  const actual = await derive(password, salt, iterations, expected.length);
  return constantTimeEqual(actual, expected);
}

async function derive(password: string, salt: Uint8Array, iterations: number, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, bytes * 8);
  return new Uint8Array(bits);
}

/** Compares every byte whatever the first difference, so timing does not reveal how much of a hash matched. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | undefined {
  try {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}
