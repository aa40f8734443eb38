/**
 * The payment state machine, as pure functions. A payment only moves
 * forward: an answer or webhook that names an older state (a late
 * `authorized` after the capture, a `succeeded` after a void) is refused
 * here, and the caller records it and leaves the payment as it is.
 */
import type { FailureReason } from "./providers/types.ts";

export type PaymentStatus =
  | "requires_action"
  | "authorizing"
  | "authorized"
  | "pending_settlement"
  | "captured"
  | "partially_refunded"
  | "refunded"
  | "voided"
  | "failed";
export type { FailureReason };

const NEXT: Record<PaymentStatus, readonly PaymentStatus[]> = {
  authorizing: ["requires_action", "pending_settlement", "authorized", "failed", "voided"],
  requires_action: ["pending_settlement", "authorized", "failed", "voided"],
  pending_settlement: ["authorized", "captured", "failed", "voided"],
  authorized: ["captured", "failed", "voided"],
  captured: ["partially_refunded", "refunded"],
  partially_refunded: ["partially_refunded", "refunded"],
  refunded: [],
  voided: [],
  failed: [],
};

export const TERMINAL: readonly PaymentStatus[] = ["refunded", "voided", "failed"];

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return NEXT[from].includes(to);
}

export const isCaptured = (status: PaymentStatus): boolean =>
  status === "captured" || status === "partially_refunded" || status === "refunded";

/** Whether a customer may try again (with the same or another payment method) after this failure. */
export function isRetryable(reason: FailureReason): boolean {
  return reason !== "fraud_suspected";
}

/** The status after a refund moved `refundedMinor` to the given total. */
export function statusAfterRefunds(capturedMinor: number, refundedMinor: number): PaymentStatus {
  if (refundedMinor <= 0) return "captured";
  return refundedMinor >= capturedMinor ? "refunded" : "partially_refunded";
}

/** What is left to refund, given the refunds already done and those still in flight. */
export function refundable(p: { capturedMinor: number; refundedMinor: number }, pendingMinor: number): number {
  return Math.max(0, p.capturedMinor - p.refundedMinor - pendingMinor);
}

export type Decision = { apply: true; to: PaymentStatus } | { apply: false; why: "same" | "stale" };

/**
 * Decides what an outcome reported for a payment (by the provider's answer or
 * a webhook) does: move it forward, or nothing because it already is there
 * or is past that point.
 */
export function decide(from: PaymentStatus, to: PaymentStatus): Decision {
  if (from === to && to !== "partially_refunded") return { apply: false, why: "same" };
  if (canTransition(from, to)) return { apply: true, to };
  return { apply: false, why: "stale" };
}
