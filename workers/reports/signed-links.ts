/**
 * Short-lived download links: `/api/reports/files/{runId}/{format}?expires=<unix seconds>&sig=<hex>`,
 * where `sig` is HMAC-SHA256 of `${runId}.${format}.${expires}` under the
 * signing key. The link itself is the credential (it works from a mail
 * client without a token), so it names one file and expires.
 */
import { safeEqual } from "../platform/auth.ts";
import { platformConfig } from "../platform/config.ts";
import type { Runtime } from "../platform/runtime.ts";
import { hmacSha256Hex } from "../platform/webhook-signature.ts";
import { reportsConfig } from "./config.ts";

const DEVELOPMENT_KEY = "edge-commerce-development-report-link-key";

export class MissingSigningKey extends Error {
  override name = "MissingSigningKey";
}

function keyOf(rt: Pick<Runtime, "vars">): string {
  const key = reportsConfig.read(rt).REPORTS_SIGNING_KEY;
  if (key) return key;
  if (platformConfig.read(rt).APP_ENV !== "production") return DEVELOPMENT_KEY;
  throw new MissingSigningKey("REPORTS_SIGNING_KEY is not set: report links cannot be signed");
}

const payload = (runId: string, format: string, expires: number) => `${runId}.${format}.${expires}`;

export async function signedPath(rt: Pick<Runtime, "vars">, runId: string, format: string, expires: number): Promise<string> {
  const sig = await hmacSha256Hex(keyOf(rt), payload(runId, format, expires));
  return `/api/reports/files/${encodeURIComponent(runId)}/${format}?expires=${expires}&sig=${sig}`;
}

/** Whether a link is genuine and still valid at `now`. Compares in constant time. */
export async function verifyLink(
  rt: Pick<Runtime, "vars">,
  link: { runId: string; format: string; expires: number; sig: string },
  now: Date,
): Promise<boolean> {
  if (link.expires * 1000 <= now.getTime()) return false;
  const want = await hmacSha256Hex(keyOf(rt), payload(link.runId, link.format, link.expires));
  return safeEqual(want, link.sig);
}
