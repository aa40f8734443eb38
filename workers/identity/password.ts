/**
 * Password hashing with WebCrypto PBKDF2-HMAC-SHA256, so the same code runs
 * in Node 22 (the seed script) and in Cloudflare Workers (sign-in). No
 * `node:` imports and no Buffer: only globalThis.crypto.subtle, btoa and atob.
 *
 * Stored format: `pbkdf2-sha256$i=<iterations>,r=<rounds>$<salt b64>$<hash b64>`.
 * The algorithm and its parameters travel with the hash, so the work factor
 * can be raised and old hashes upgraded at the next sign-in (`needsRehash`).
 * The first format, `pbkdf2-sha256$<iterations>$<salt>$<hash>`, reads as one round.
 *
 * Why rounds: the deployed Workers runtime rejects a PBKDF2 call above
 * 100,000 iterations, while OWASP asks for 600,000 for PBKDF2-HMAC-SHA256.
 * Each round is a full PBKDF2 call of at most 100,000 iterations whose output
 * is the password of the next, so a guess costs the sum of all rounds and no
 * round can be skipped. Six rounds of 100,000 is the production policy.
 */
const ALGORITHM = "pbkdf2-sha256";
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** The Workers runtime's upper limit for one PBKDF2 call. */
export const MAX_ITERATIONS = 100_000;
/** OWASP's recommendation for PBKDF2-HMAC-SHA256, reached in rounds of MAX_ITERATIONS. */
export const RECOMMENDED_TOTAL_ITERATIONS = 600_000;

export interface HashParams {
  /** Iterations of each PBKDF2 call, 1 to MAX_ITERATIONS. */
  iterations: number;
  /** PBKDF2 calls chained one after the other. */
  rounds: number;
}

/** The parameters for a total work factor: as few rounds as the per-call limit allows. */
export function paramsForTotal(totalIterations: number): HashParams {
  if (!Number.isInteger(totalIterations) || totalIterations < 1)
    throw new RangeError(`total iterations must be a positive integer, got ${totalIterations}`);
  const rounds = Math.ceil(totalIterations / MAX_ITERATIONS);
  return { iterations: Math.ceil(totalIterations / rounds), rounds };
}

export const DEFAULT_PARAMS: HashParams = paramsForTotal(RECOMMENDED_TOTAL_ITERATIONS);

export async function hashPassword(password: string, params: HashParams | number = DEFAULT_PARAMS): Promise<string> {
  const p = typeof params === "number" ? { iterations: params, rounds: 1 } : params;
  if (!Number.isInteger(p.iterations) || p.iterations < 1 || p.iterations > MAX_ITERATIONS) {
    throw new RangeError(`iterations must be an integer from 1 to ${MAX_ITERATIONS}, got ${p.iterations}`);
  }
  if (!Number.isInteger(p.rounds) || p.rounds < 1 || p.rounds > 64)
    throw new RangeError(`rounds must be an integer from 1 to 64, got ${p.rounds}`);
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, p, KEY_BYTES);
  return `${ALGORITHM}$i=${p.iterations},r=${p.rounds}$${toBase64(salt)}$${toBase64(hash)}`;
}

interface Parsed extends HashParams {
  salt: Uint8Array;
  hash: Uint8Array;
}

function parse(stored: string): Parsed | undefined {
  const parts = stored.split("$");
  if (parts.length !== 4 || parts[0] !== ALGORITHM) return undefined;
  let iterations: number;
  let rounds = 1;
  const m = /^i=(\d{1,7}),r=(\d{1,2})$/.exec(parts[1]!);
  if (m) {
    iterations = Number(m[1]);
    rounds = Number(m[2]);
  } else if (/^\d{1,7}$/.test(parts[1]!)) {
    iterations = Number(parts[1]);
  } else return undefined;
  if (iterations < 1 || iterations > MAX_ITERATIONS || rounds < 1 || rounds > 64) return undefined;
  const salt = fromBase64(parts[2]!);
  const hash = fromBase64(parts[3]!);
  if (!salt || !hash || hash.length === 0) return undefined;
  return { iterations, rounds, salt, hash };
}

/** False for a wrong password and for any stored value that is not in a known format. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed, parsed.hash.length);
  return constantTimeEqual(actual, parsed.hash);
}

/** Whether a stored hash was made with other parameters than `params` (and should be replaced at the next sign-in). */
export function needsRehash(stored: string, params: HashParams = DEFAULT_PARAMS): boolean {
  const parsed = parse(stored);
  return (
    !parsed ||
    parsed.iterations !== params.iterations ||
    parsed.rounds !== params.rounds ||
    parsed.salt.length !== SALT_BYTES ||
    parsed.hash.length !== KEY_BYTES
  );
}

/**
 * NFKC first, as NIST SP 800-63B asks, so the same password typed on two
 * keyboards (composed or decomposed accents, full-width digits) matches.
 */
async function derive(password: string, salt: Uint8Array, p: HashParams, bytes: number): Promise<Uint8Array> {
  let secret: Uint8Array = new TextEncoder().encode(password.normalize("NFKC"));
  for (let round = 0; round < p.rounds; round++) {
    const key = await crypto.subtle.importKey("raw", secret, "PBKDF2", false, ["deriveBits"]);
    const bits = await crypto.subtle.deriveBits(
      { name: "PBKDF2", hash: "SHA-256", salt, iterations: p.iterations },
      key,
      (round === p.rounds - 1 ? bytes : KEY_BYTES) * 8,
    );
    secret = new Uint8Array(bits);
  }
  return secret;
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
