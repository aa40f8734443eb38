/**
 * How each provider signs its webhooks, verified with WebCrypto:
 * - Resend (Svix): HMAC-SHA256 over `id.timestamp.body` with the base64 key
 *   after `whsec_`; `svix-signature` lists `v1,<base64>` values; the
 *   timestamp must be within five minutes (replay protection).
 * - SendGrid Event Webhook: ECDSA P-256 / SHA-256 over `timestamp + body`,
 *   the signature DER-encoded in base64, the key an SPKI in base64.
 * - Twilio: HMAC-SHA1 with the auth token over the full URL followed by the
 *   POST parameters sorted by name, each name directly followed by its value.
 */
import { equalBytes, fromBase64, toBase64, utf8 } from "./crypto/bytes.ts";

const SVIX_TOLERANCE_SECONDS = 5 * 60;

async function hmac(hash: "SHA-256" | "SHA-1", key: Uint8Array, data: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, utf8(data)));
}

export async function svixSignature(secret: string, id: string, timestamp: string, body: string): Promise<string> {
  return toBase64(await hmac("SHA-256", fromBase64(secret.replace(/^whsec_/, "")), `${id}.${timestamp}.${body}`));
}

export async function verifySvix(
  secret: string,
  headers: { id: string | undefined; timestamp: string | undefined; signature: string | undefined },
  body: string,
  now = Date.now(),
): Promise<boolean> {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > SVIX_TOLERANCE_SECONDS) return false;
  const expected = fromBase64(await svixSignature(secret, id, timestamp, body));
  return signature.split(" ").some((part) => {
    const [version, value] = part.split(",", 2);
    if (version !== "v1" || !value) return false;
    try {
      return equalBytes(fromBase64(value), expected);
    } catch {
      return false;
    }
  });
}

/** An ASN.1 DER ECDSA signature (SEQUENCE of two INTEGERs) as the 64-byte r‖s WebCrypto verifies. */
export function derToRaw(der: Uint8Array): Uint8Array | null {
  let i = 0;
  const readLength = (): number => {
    let len = der[i++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let k = 0; k < n; k++) len = (len << 8) | der[i++]!;
    }
    return len;
  };
  if (der[i++] !== 0x30) return null;
  const seqEnd = readLength() + i;
  if (seqEnd !== der.length) return null;
  const out = new Uint8Array(64);
  for (const offset of [0, 32]) {
    if (der[i++] !== 0x02) return null;
    const len = readLength();
    let int = der.subarray(i, i + len);
    i += len;
    while (int.length > 32 && int[0] === 0) int = int.subarray(1);
    if (int.length > 32 || i > der.length) return null;
    out.set(int, offset + 32 - int.length);
  }
  return i === der.length ? out : null;
}

export async function verifySendgrid(
  publicKey: string,
  signature: string | undefined,
  timestamp: string | undefined,
  body: string,
): Promise<boolean> {
  if (!signature || !timestamp) return false;
  try {
    const key = await crypto.subtle.importKey("spki", fromBase64(publicKey), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
    const raw = derToRaw(fromBase64(signature));
    if (!raw) return false;
    return await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, raw, utf8(timestamp + body));
  } catch {
    return false;
  }
}

export async function twilioSignature(authToken: string, url: string, params: URLSearchParams): Promise<string> {
  const names = [...new Set(params.keys())].sort();
  let data = url;
  for (const name of names) for (const value of params.getAll(name).sort()) data += name + value;
  return toBase64(await hmac("SHA-1", utf8(authToken), data));
}

export async function verifyTwilio(
  authToken: string,
  url: string,
  params: URLSearchParams,
  signature: string | undefined,
): Promise<boolean> {
  if (!signature) return false;
  try {
    return equalBytes(fromBase64(signature), fromBase64(await twilioSignature(authToken, url, params)));
  } catch {
    return false;
  }
}
