/**
 * The audit hash chain, as pure functions: each entry's hash is SHA-256 over
 * the previous entry's hash and the canonical JSON of the entry (keys sorted
 * at every level, timestamps as ISO-8601 UTC with milliseconds), so any change
 * of content, order or membership breaks a link.
 */
export const GENESIS_HASH = "0".repeat(64);

export interface ChainedFields {
  seq: number;
  eventId: string;
  type: string;
  version: number;
  topic: string;
  source: string;
  subjectType: string;
  subjectId: string;
  actorType: string | null;
  actorId: string | null;
  correlationId: string;
  occurredAt: string;
  recordedAt: string;
  payload: unknown;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** Postgres returns timestamps in its own format; the chain always hashes ISO-8601 UTC. */
export function isoUtc(value: string | Date): string {
  return new Date(value).toISOString();
}

export function canonicalEntry(fields: ChainedFields): string {
  return canonicalJson({ ...fields, occurredAt: isoUtc(fields.occurredAt), recordedAt: isoUtc(fields.recordedAt) });
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function entryHash(prevHash: string, fields: ChainedFields): Promise<string> {
  return sha256Hex(`${prevHash}\n${canonicalEntry(fields)}`);
}
