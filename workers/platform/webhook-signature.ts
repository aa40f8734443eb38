/**
 * Webhook signatures in Stripe's scheme, which the payment sandbox and the
 * carriers share (each under its own header name): a header
 * `t=<unix seconds>,v1=<hex>[,v1=<hex>…]` where each v1 is HMAC-SHA256, keyed
 * with the endpoint secret, over `${t}.${rawBody}`. Several v1 values (the
 * provider signs with old and new secret during a rotation) and several
 * secrets of ours (we accept old and new during ours) are both allowed;
 * any one match verifies. The timestamp must be within the tolerance, so a
 * captured request cannot be replayed later.
 */
import { safeEqual } from "./auth.ts";
import { ApiError, ErrorCode } from "./errors.ts";

export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

const enc = new TextEncoder();

/**
 * The one answer to a webhook whose signature fails, whatever failed (no
 * header, a stale timestamp, no matching secret): which check failed helps a
 * forger, not the sender, so it goes to our logs only.
 */
export const invalidWebhookSignature = () => new ApiError(ErrorCode.INVALID_WEBHOOK_SIGNATURE, "The webhook signature does not verify");

export async function hmacSha256Hex(secret: string, data: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(data)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

export interface SignatureHeader {
  timestamp: number;
  v1: string[];
}

export function parseSignatureHeader(header: string): SignatureHeader | null {
  let timestamp: number | null = null;
  const v1: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (name === "v1" && /^[0-9a-f]{64}$/i.test(value)) v1.push(value.toLowerCase());
  }
  return timestamp === null || v1.length === 0 ? null : { timestamp, v1 };
}

export type VerifyResult =
  | { ok: true; timestamp: number }
  | { ok: false; reason: "missing_header" | "malformed_header" | "no_secret" | "stale_timestamp" | "no_matching_signature" };

export async function verifySignature(input: {
  header: string | null | undefined;
  rawBody: string;
  secrets: readonly string[];
  now?: number;
  toleranceSeconds?: number;
}): Promise<VerifyResult> {
  if (!input.header) return { ok: false, reason: "missing_header" };
  const parsed = parseSignatureHeader(input.header);
  if (!parsed) return { ok: false, reason: "malformed_header" };
  if (input.secrets.length === 0) return { ok: false, reason: "no_secret" };
  const nowSeconds = Math.floor((input.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - parsed.timestamp) > (input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS))
    return { ok: false, reason: "stale_timestamp" };
  const payload = `${parsed.timestamp}.${input.rawBody}`;
  let matched = false;
  // Every candidate is compared (no early exit), so timing says nothing about which secret matched.
  for (const secret of input.secrets) {
    const expected = await hmacSha256Hex(secret, payload);
    for (const candidate of parsed.v1) if (safeEqual(candidate, expected)) matched = true;
  }
  return matched ? { ok: true, timestamp: parsed.timestamp } : { ok: false, reason: "no_matching_signature" };
}

/** The header a provider would send: one v1 per secret it signs with. */
export async function signatureHeader(
  secrets: readonly string[],
  rawBody: string,
  timestamp = Math.floor(Date.now() / 1000),
): Promise<string> {
  const sigs = await Promise.all(secrets.map((s) => hmacSha256Hex(s, `${timestamp}.${rawBody}`)));
  return [`t=${timestamp}`, ...sigs.map((s) => `v1=${s}`)].join(",");
}
