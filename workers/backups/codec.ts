/**
 * How one part of a backup is stored: NDJSON, gzip-compressed (the
 * runtime's CompressionStream), optionally sealed with AES-GCM under a key
 * derived from a secret, and named by the SHA-256 of the stored bytes. A
 * part is bounded in size (see part-writer.ts), so sealing and hashing it
 * whole keeps memory flat however large a table grows.
 */

/** The first bytes of a sealed part: a format tag, then the 12-byte IV. */
const SEALED_MAGIC = new TextEncoder().encode("ECB1");
const IV_BYTES = 12;

async function pipeThrough(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

export const gzip = (bytes: Uint8Array) => pipeThrough(bytes, new CompressionStream("gzip"));
export const gunzip = (bytes: Uint8Array) => pipeThrough(bytes, new DecompressionStream("gzip"));

export async function sha256Hex(bytes: Uint8Array | string): Promise<string> {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  const digest = await crypto.subtle.digest("SHA-256", data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The AES-256-GCM key of backups, derived (HKDF-SHA-256) from the secret, so
 * any long random string will do as the secret and the key never leaves
 * WebCrypto.
 */
export async function backupKey(secret: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode("edge-commerce backups v1") },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

export async function seal(key: CryptoKey, plain: Uint8Array): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, plain));
  const out = new Uint8Array(SEALED_MAGIC.length + IV_BYTES + cipher.length);
  out.set(SEALED_MAGIC, 0);
  out.set(iv, SEALED_MAGIC.length);
  out.set(cipher, SEALED_MAGIC.length + IV_BYTES);
  return out;
}

export function isSealed(bytes: Uint8Array): boolean {
  return SEALED_MAGIC.every((b, i) => bytes[i] === b);
}

export async function unseal(key: CryptoKey, sealed: Uint8Array): Promise<Uint8Array> {
  if (!isSealed(sealed)) throw new Error("not a sealed backup part");
  const iv = sealed.subarray(SEALED_MAGIC.length, SEALED_MAGIC.length + IV_BYTES);
  return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv }, key, sealed.subarray(SEALED_MAGIC.length + IV_BYTES)));
}

/** NDJSON text to the stored bytes: gzip, then (with a key) sealed. */
export async function encodePart(ndjson: string, key: CryptoKey | null): Promise<Uint8Array> {
  const zipped = await gzip(new TextEncoder().encode(ndjson));
  return key ? seal(key, zipped) : zipped;
}

/** The stored bytes back to NDJSON lines; a sealed part without the key is refused. */
export async function decodePart(stored: Uint8Array, key: CryptoKey | null): Promise<string[]> {
  let zipped = stored;
  if (isSealed(stored)) {
    if (!key) throw new Error("the part is encrypted and no BACKUP_ENCRYPTION_KEY is configured");
    zipped = await unseal(key, stored);
  }
  const text = new TextDecoder().decode(await gunzip(zipped));
  return text.split("\n").filter((l) => l.length > 0);
}
