/**
 * Carrier webhook signatures: `Carrier-Signature: t=<unix seconds>,v1=<hex>`
 * where the hex is HMAC-SHA256(secret, `<t>.<raw body>`). The timestamp is
 * signed with the body and must be within five minutes of now, so a captured
 * request cannot be replayed later. During a secret rotation the carrier
 * sends one `v1` per active secret and we accept any of ours, so both sides
 * can switch at different times without dropping updates.
 */
import { safeEqual } from "../kernel/auth.ts";

export const SIGNATURE_HEADER = "carrier-signature";
export const TOLERANCE_SECONDS = 5 * 60;

const enc = new TextEncoder();

async function hmacHex(secret: string, data: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(data)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The header value a carrier would send for `body` at `timestamp`, one `v1` per secret. */
export async function signWebhook(secrets: string[], body: string, timestamp = Math.floor(Date.now() / 1000)): Promise<string> {
  const parts = [`t=${timestamp}`];
  for (const secret of secrets) parts.push(`v1=${await hmacHex(secret, `${timestamp}.${body}`)}`);
  return parts.join(",");
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: "missing" | "malformed" | "stale" | "mismatch" | "no_secret" };

export async function verifyWebhook(secrets: readonly string[], header: string | undefined | null, body: string, nowMs = Date.now()): Promise<VerifyResult> {
  if (!header) return { ok: false, reason: "missing" };
  if (secrets.length === 0) return { ok: false, reason: "no_secret" };
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === "v1" && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === null || signatures.length === 0) return { ok: false, reason: "malformed" };
  if (Math.abs(nowMs / 1000 - timestamp) > TOLERANCE_SECONDS) return { ok: false, reason: "stale" };
  // Every pair is compared (no early exit), so timing tells nothing about which secret or signature came close.
  let matched = false;
  for (const secret of secrets) {
    const expected = await hmacHex(secret, `${timestamp}.${body}`);
    for (const signature of signatures) matched = safeEqual(signature, expected) || matched;
  }
  return matched ? { ok: true, timestamp } : { ok: false, reason: "mismatch" };
}
