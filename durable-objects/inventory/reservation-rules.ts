/**
 * The rules of a multi-line reservation (pure): lines are merged per SKU and
 * taken in one fixed order (by SKU), a repeated request must ask for the same
 * lines, and the status a reservation has at a given time.
 *
 * Lifecycle: a reservation is first written as held, refused or failed;
 * held → committing → committed; held → releasing → released; held →
 * expired (time is up). `failed` (a dependency broke mid-way, every line
 * rolled back) may be tried again with the same id; every other state
 * answers repeats as it is.
 */
import type { Actor } from "../../workers/platform/event-envelope.ts";

export interface Line {
  sku: string;
  quantity: number;
}

export type ReservationStatus = "held" | "refused" | "failed" | "committing" | "committed" | "releasing" | "released" | "expired";

export interface Refusal {
  sku: string;
  requested: number;
  available: number;
}

export interface ReservationRecord {
  reservationId: string;
  owner: Actor;
  lines: Line[];
  ttlMs: number;
  expiresAt: number;
  status: ReservationStatus;
  refusal: Refusal | null;
  correlationId: string;
  /** The reserving request's traceparent: the lines' events carry it, and a commit's or release's unless its own request was traced. */
  traceparent?: string;
  createdAt: number;
  updatedAt: number;
}

export const MAX_LINES = 50;

/** Merges lines of the same SKU and sorts them: every reservation takes its SKUs in the same order. */
export function normalizeLines(lines: readonly Line[]): Line[] {
  const bySku = new Map<string, number>();
  for (const l of lines) {
    if (!Number.isSafeInteger(l.quantity) || l.quantity <= 0) throw new RangeError(`quantity of ${l.sku} must be a positive integer`);
    bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.quantity);
  }
  if (bySku.size === 0) throw new RangeError("a reservation needs at least one line");
  if (bySku.size > MAX_LINES) throw new RangeError(`a reservation holds at most ${MAX_LINES} SKUs`);
  return [...bySku].map(([sku, quantity]) => ({ sku, quantity })).sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

export function sameLines(a: readonly Line[], b: readonly Line[]): boolean {
  return a.length === b.length && a.every((l, i) => l.sku === b[i]!.sku && l.quantity === b[i]!.quantity);
}

/** A held reservation past its expiry is expired, whether or not anyone has recorded it yet. */
export function statusAt(r: ReservationRecord, now: number): ReservationStatus {
  return r.status === "held" && r.expiresAt <= now ? "expired" : r.status;
}

/** End states: nothing more will happen to the lines. */
export const isFinal = (s: ReservationStatus): boolean =>
  s === "refused" || s === "failed" || s === "committed" || s === "released" || s === "expired";

export type Decision<T extends string> = { go: true } | { go: false; code: T };

export function canCommit(
  r: ReservationRecord,
  now: number,
): Decision<"RESERVATION_EXPIRED" | "RESERVATION_RELEASED" | "RESERVATION_NOT_HELD" | "ALREADY_COMMITTED"> {
  const s = statusAt(r, now);
  if (s === "committed") return { go: false, code: "ALREADY_COMMITTED" };
  if (s === "committing") return { go: true }; // resume: pinned lines cannot expire any more
  if (s === "held") return { go: true };
  if (s === "expired") return { go: false, code: "RESERVATION_EXPIRED" };
  if (s === "released" || s === "releasing") return { go: false, code: "RESERVATION_RELEASED" };
  return { go: false, code: "RESERVATION_NOT_HELD" };
}

export function canRelease(r: ReservationRecord, now: number): Decision<"RESERVATION_COMMITTED" | "NOTHING_HELD"> {
  const s = statusAt(r, now);
  if (s === "committed" || s === "committing") return { go: false, code: "RESERVATION_COMMITTED" };
  if (s === "held" || s === "releasing") return { go: true };
  return { go: false, code: "NOTHING_HELD" };
}
