/**
 * Carrier webhook signatures: `Carrier-Signature: t=<unix seconds>,v1=<hex>`
 * where the hex is HMAC-SHA256(secret, `<t>.<raw body>`): the scheme of the
 * payment webhooks (workers/platform/webhook-signature.ts) under the carrier's
 * header. The timestamp is signed with the body and must be within five
 * minutes of now, so a captured request cannot be replayed later. During a
 * secret rotation the carrier sends one `v1` per active secret and we accept
 * any of ours, so both sides can switch at different times without dropping
 * updates.
 */
import { signatureHeader, verifySignature } from "../platform/webhook-signature.ts";

export const SIGNATURE_HEADER = "carrier-signature";

/** The header value a carrier would send for `body` at `timestamp`, one `v1` per secret. */
export function signWebhook(secrets: string[], body: string, timestamp = Math.floor(Date.now() / 1000)): Promise<string> {
  return signatureHeader(secrets, body, timestamp);
}

export type VerifyResult =
  | { ok: true; timestamp: number }
  | { ok: false; reason: "missing" | "malformed" | "stale" | "mismatch" | "no_secret" };

const REASONS = {
  missing_header: "missing",
  malformed_header: "malformed",
  no_secret: "no_secret",
  stale_timestamp: "stale",
  no_matching_signature: "mismatch",
} as const;

export async function verifyWebhook(
  secrets: readonly string[],
  header: string | undefined | null,
  body: string,
  nowMs = Date.now(),
): Promise<VerifyResult> {
  const result = await verifySignature({ header, rawBody: body, secrets, now: nowMs });
  return result.ok ? result : { ok: false, reason: REASONS[result.reason] };
}
