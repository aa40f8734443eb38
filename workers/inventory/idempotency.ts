/**
 * A client's Idempotency-Key becomes a reservation id: the same principal and
 * key always name the same reservation (so a repeat finds the first outcome),
 * and two principals' keys never collide.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export async function reservationIdForKey(principalId: string, key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`reservation\n${principalId}\n${key}`)));
  let id = "";
  for (let i = 0; i < 26; i++) id += ALPHABET[digest[i]! % 32];
  return `res_${id}`;
}

/** The operation id of a staff movement sent with an Idempotency-Key. */
export const operationIdForKey = (principalId: string, key: string): string => `key:${principalId}:${key}`;
