/** Outbound HTTP for the adapters: a timeout per call, and network failures as transient provider errors. */
import { ProviderError } from "./types.ts";

export const USER_AGENT = "edge-commerce-notifications/1";
const TIMEOUT_MS = 10_000;

export async function providerFetch(provider: string, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw new ProviderError(
      `${provider}: ${timedOut ? `no answer within ${TIMEOUT_MS} ms` : `request failed: ${err instanceof Error ? err.message : String(err)}`}`,
      { permanent: false },
    );
  }
}

/** The start of an error body, for the delivery record (never the request, which holds the message). */
export async function errorBody(res: Response): Promise<{ text: string; json: Record<string, unknown> | null }> {
  const text = (await res.text().catch(() => "")).slice(0, 500);
  try {
    const json = JSON.parse(text) as unknown;
    return { text, json: json && typeof json === "object" ? (json as Record<string, unknown>) : null };
  } catch {
    return { text, json: null };
  }
}

/** Rate limits, server errors and credential problems are worth trying again elsewhere or later. */
export const retryableStatus = (status: number) => status === 401 || status === 403 || status === 408 || status === 429 || status >= 500;

/** `Shop <shop@mail.example>` → { name: "Shop", email: "shop@mail.example" }. */
export function parseMailbox(from: string): { email: string; name?: string } {
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(from);
  if (!m) return { email: from.trim() };
  const name = m[1]!.replace(/^"|"$/g, "");
  return name ? { email: m[2]!.trim(), name } : { email: m[2]!.trim() };
}
