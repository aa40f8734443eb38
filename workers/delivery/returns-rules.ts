/**
 * Return rules, pure: the window after delivery, which lines and how many
 * units may still be returned, the steps a return goes through, and what
 * the inspection refunds.
 */
import { ErrorCode } from "../platform/errors.ts";
import { DeliveryErrors } from "./errors.ts";
import type { ShipmentLine } from "./types.ts";

export const RETURN_STATUS_LIST = ["initiated", "received", "inspected", "refunded", "rejected"] as const;
export type ReturnStatus = (typeof RETURN_STATUS_LIST)[number];

/** How long the customer has to send the goods once the return is opened. */
export const SEND_BACK_DAYS = 14;
const DAY_MS = 86_400_000;

export function windowEndsAt(deliveredAt: Date, windowDays: number): Date {
  return new Date(deliveredAt.getTime() + windowDays * DAY_MS);
}

export function isWithinWindow(deliveredAt: Date, windowDays: number, now: Date): boolean {
  return now.getTime() <= windowEndsAt(deliveredAt, windowDays).getTime();
}

/** The date (UTC) by which the goods must be sent. */
export function returnByDate(now: Date): string {
  return new Date(now.getTime() + SEND_BACK_DAYS * DAY_MS).toISOString().slice(0, 10);
}

export interface RequestedLine {
  sku: string;
  quantity: number;
}

type FieldErrors = { field: string; message: string }[];
type LineRefusal = typeof ErrorCode.VALIDATION_FAILED | typeof DeliveryErrors.RETURN_QUANTITY_EXCEEDED;

/** A refusal names its error (status and code repeated for callers that only look at those). */
export type LineCheck =
  | { ok: true; lines: ShipmentLine[] }
  | { ok: false; error: LineRefusal; status: LineRefusal["status"]; code: LineRefusal["code"]; errors: FieldErrors };

const refused = (error: LineRefusal, errors: FieldErrors): LineCheck => ({
  ok: false,
  error,
  status: error.status,
  code: error.code,
  errors,
});

/**
 * The requested lines, priced as paid, if every one names a shipped SKU once
 * and asks for no more than was delivered minus what earlier returns (not
 * rejected) already claim.
 */
export function checkReturnLines(
  shipped: readonly ShipmentLine[],
  alreadyReturned: ReadonlyMap<string, number>,
  requested: readonly RequestedLine[],
): LineCheck {
  if (requested.length === 0) return refused(ErrorCode.VALIDATION_FAILED, [{ field: "lines", message: "must name at least one line" }]);
  const bySku = new Map(shipped.map((l) => [l.sku, l]));
  const seen = new Set<string>();
  const invalid: FieldErrors = [];
  const exceeded: FieldErrors = [];
  const lines: ShipmentLine[] = [];
  for (const [i, r] of requested.entries()) {
    const line = bySku.get(r.sku);
    if (!line) {
      invalid.push({ field: `lines.${i}.sku`, message: `${r.sku} is not part of this shipment` });
      continue;
    }
    if (seen.has(r.sku)) {
      invalid.push({ field: `lines.${i}.sku`, message: `${r.sku} is listed twice` });
      continue;
    }
    seen.add(r.sku);
    if (!Number.isInteger(r.quantity) || r.quantity < 1) {
      invalid.push({ field: `lines.${i}.quantity`, message: "must be a positive integer" });
      continue;
    }
    const left = line.quantity - (alreadyReturned.get(r.sku) ?? 0);
    if (r.quantity > left) {
      exceeded.push({ field: `lines.${i}.quantity`, message: `at most ${Math.max(0, left)} of ${r.sku} can still be returned` });
      continue;
    }
    lines.push({ ...line, quantity: r.quantity });
  }
  if (invalid.length > 0) return refused(ErrorCode.VALIDATION_FAILED, invalid);
  if (exceeded.length > 0) return refused(DeliveryErrors.RETURN_QUANTITY_EXCEEDED, exceeded);
  return { ok: true, lines };
}

/** Units of each SKU claimed by earlier returns: every return counts except a rejected one. */
export function claimedUnits(previous: readonly { status: ReturnStatus; sku: string; quantity: number }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of previous) if (p.status !== "rejected") out.set(p.sku, (out.get(p.sku) ?? 0) + p.quantity);
  return out;
}

export interface InspectedLine {
  sku: string;
  quantity: number;
  unitPaidMinor: number;
  acceptedQuantity: number;
}

/**
 * The inspection's accepted quantities, one per line of the return; none
 * given means everything came back in order.
 */
export function checkInspection(
  lines: readonly { sku: string; quantity: number; unitPaidMinor: number }[],
  accepted: readonly { sku: string; acceptedQuantity: number }[] | undefined,
): { ok: true; lines: InspectedLine[] } | { ok: false; errors: { field: string; message: string }[] } {
  if (!accepted) return { ok: true, lines: lines.map((l) => ({ ...l, acceptedQuantity: l.quantity })) };
  const given = new Map<string, number>();
  const errors: { field: string; message: string }[] = [];
  accepted.forEach((a, i) => {
    const line = lines.find((l) => l.sku === a.sku);
    if (!line) errors.push({ field: `lines.${i}.sku`, message: `${a.sku} is not part of this return` });
    else if (given.has(a.sku)) errors.push({ field: `lines.${i}.sku`, message: `${a.sku} is listed twice` });
    else if (!Number.isInteger(a.acceptedQuantity) || a.acceptedQuantity < 0 || a.acceptedQuantity > line.quantity)
      errors.push({ field: `lines.${i}.acceptedQuantity`, message: `must be between 0 and ${line.quantity}` });
    given.set(a.sku, a.acceptedQuantity);
  });
  for (const l of lines) if (!given.has(l.sku)) errors.push({ field: "lines", message: `${l.sku} must be inspected too` });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, lines: lines.map((l) => ({ ...l, acceptedQuantity: given.get(l.sku)! })) };
}

/** What the customer gets back: each accepted unit at the price paid for it. */
export function refundFor(lines: readonly InspectedLine[]): number {
  return lines.reduce((sum, l) => sum + l.acceptedQuantity * l.unitPaidMinor, 0);
}

/** Whether an inspection asks for the same quantities as the one already recorded (a retry). */
export function sameInspection(recorded: readonly InspectedLine[], requested: readonly InspectedLine[]): boolean {
  return recorded.every((r) => requested.find((q) => q.sku === r.sku)?.acceptedQuantity === r.acceptedQuantity);
}

/** The customer-facing return number: `RMA-` and ten characters of the return id's random part. */
export function rmaNumberOf(returnId: string): string {
  return `RMA-${returnId.slice(-10)}`;
}
