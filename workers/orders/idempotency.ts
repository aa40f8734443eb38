/**
 * Idempotency of order requests. A create with an Idempotency-Key gets an
 * order id derived from the caller and the key, so every repeat reaches the
 * same order object (which serialises them) and finds the first answer; two
 * callers' keys never collide. A request's body is compared by the SHA-256
 * of its canonical JSON (keys sorted), so a repeat with another body is told
 * apart from a true repeat. (The keys of the saga's own side effects are the
 * object's: durable-objects/order/saga-keys.ts.)
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** `<prefix>_` and 26 Crockford base32 characters of SHA-256(text): the shape of an order id. */
export async function derivedId(prefix: string, text: string): Promise<string> {
  const digest = await sha256(text);
  let id = "";
  // 26 characters of 5 bits each from the first 17 bytes.
  let bits = 0;
  let value = 0;
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && id.length < 26) {
      id += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (id.length === 26) break;
  }
  return `${prefix}_${id}`;
}

/** `ord_` and 26 Crockford base32 characters of SHA-256(user, key): the shape of every other order id. */
export const orderIdForKey = (userId: string, key: string): Promise<string> => derivedId("ord", `order\n${userId}\n${key}`);

/** JSON with object keys sorted at every level, so equal bodies hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export async function requestHash(value: unknown): Promise<string> {
  const digest = await sha256(canonicalJson(value));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
