/**
 * The checkout saga's decisions (pure): which step comes next, where a run
 * that was cut short resumes, which compensations an order needs, and how
 * long to wait before trying a step again.
 *
 * Forward:   reserved → authorized → captured → committed → shipment_created
 * Backward:  shipment_halted, then restocked (stock was sold) or released
 *            (still held), then refunded (money was captured) or voided
 *            (only authorised).
 * Capture is the point of no return: a run interrupted after it goes on;
 * one interrupted before it is compensated.
 */
import type { SAGA_STEPS, STEP_STATES } from "../../db/schema/orders.ts";
import type { OrderStatus } from "./state.ts";

export type StepName = (typeof SAGA_STEPS)[number];
export type StepState = (typeof STEP_STATES)[number];

export interface StepRecord {
  step: StepName;
  state: StepState;
  attempts: number;
  result: Record<string, unknown> | null;
  error: string | null;
}

export type StepLog = Partial<Record<StepName, StepRecord>>;

export const FORWARD_STEPS = ["reserved", "authorized", "captured", "committed", "shipment_created"] as const satisfies readonly StepName[];
export type ForwardStep = (typeof FORWARD_STEPS)[number];
export const COMPENSATION_STEPS = ["shipment_halted", "restocked", "released", "refunded", "voided"] as const satisfies readonly StepName[];
export type CompensationStep = (typeof COMPENSATION_STEPS)[number];

export const isDone = (log: StepLog, step: StepName): boolean => log[step]?.state === "done";
/** The step's side effect may have happened: it was asked for (started) or is known to have (done). */
export const wasAttempted = (log: StepLog, step: StepName): boolean => log[step] !== undefined && log[step]!.state !== "failed";

/** The first forward step not done yet, or null when the order can be confirmed. */
export function nextForwardStep(log: StepLog): ForwardStep | null {
  return FORWARD_STEPS.find((s) => !isDone(log, s)) ?? null;
}

/** The step before `step` in the forward order (its crash point is the one just passed). */
export function previousStep(step: ForwardStep): ForwardStep | null {
  const i = FORWARD_STEPS.indexOf(step);
  return i > 0 ? FORWARD_STEPS[i - 1]! : null;
}

/** Money was captured: from here a failure is refunded, and an interrupted run goes forward. */
export const pastPointOfNoReturn = (log: StepLog): boolean => isDone(log, "captured");

/** A confirmed order whose shipment was asked to stop (a cancel cut short): the cancel is finished, not forgotten. */
export const cancelUnderWay = (log: StepLog): boolean => log.shipment_halted !== undefined && log.shipment_halted.state !== "failed";

export type Resume =
  | { kind: "rest" }
  | { kind: "wait"; until: number }
  | { kind: "forward" }
  | { kind: "compensate" }
  | { kind: "check_payment" }
  | { kind: "expire" }
  | { kind: "finish_cancel" };

export interface ResumeInput {
  status: OrderStatus;
  log: StepLog;
  /** A retry the saga scheduled itself (ms since the epoch), or null when the last run stopped without one. */
  retryAt: number | null;
  holdExpiresAt: number;
  paymentDeadline: number | null;
  now: number;
}

/**
 * Where an order goes when its object wakes up (alarm, recovery job, payment
 * event) with no request running.
 */
export function resumeAction(o: ResumeInput): Resume {
  switch (o.status) {
    case "pending":
      return o.holdExpiresAt <= o.now ? { kind: "expire" } : { kind: "wait", until: o.holdExpiresAt };
    case "confirming":
      // A retry the saga planned: go on when it is due.
      if (o.retryAt !== null) return o.retryAt <= o.now ? { kind: "forward" } : { kind: "wait", until: o.retryAt };
      // A run cut short (the process died): past the point of no return finish it, else undo it.
      return pastPointOfNoReturn(o.log) ? { kind: "forward" } : { kind: "compensate" };
    case "awaiting_payment":
      return { kind: "check_payment" };
    case "cancelling":
      if (o.retryAt !== null && o.retryAt > o.now) return { kind: "wait", until: o.retryAt };
      return { kind: "compensate" };
    case "confirmed":
      // A customer's cancel that asked the carrier to stop and was cut short before the order moved on.
      return cancelUnderWay(o.log) ? { kind: "finish_cancel" } : { kind: "rest" };
    default:
      return { kind: "rest" };
  }
}

/** Doubling delays from `baseMs`, capped at five minutes. */
export function retryDelayMs(retries: number, baseMs: number): number {
  return Math.min(5 * 60_000, baseMs * 2 ** Math.max(0, retries - 1));
}

// ---- compensations, decided from the state the other families report

export type ReservationState = "held" | "refused" | "failed" | "committing" | "committed" | "releasing" | "released" | "expired";

/** What to do with the order's stock: give the sold units back, release the hold, or nothing is held. */
export function stockCompensation(reservation: ReservationState | null): {
  step: "restocked" | "released" | null;
  finishCommitFirst: boolean;
} {
  switch (reservation) {
    case "committed":
      return { step: "restocked", finishCommitFirst: false };
    // A commit in progress finishes (the reservation object would finish it anyway), then the units come back.
    case "committing":
      return { step: "restocked", finishCommitFirst: true };
    case "held":
    case "releasing":
      return { step: "released", finishCommitFirst: false };
    default:
      return { step: null, finishCommitFirst: false };
  }
}

export interface PaymentState {
  status: string;
  capturedMinor: number;
  refundedMinor: number;
}

/** What to do with the order's money: refund what was captured and not yet refunded, void an authorisation, or nothing. */
export function moneyCompensation(payment: PaymentState | null): { step: "refunded"; amountMinor: number } | { step: "voided" } | null {
  if (!payment) return null;
  const left = payment.capturedMinor - payment.refundedMinor;
  if (left > 0) return { step: "refunded", amountMinor: left };
  if (["requires_action", "authorizing", "authorized", "pending_settlement"].includes(payment.status)) return { step: "voided" };
  return null;
}

/** The compensations that apply to an order, in the order they run (for the docs and the timeline). */
export function compensationOrder(log: StepLog): CompensationStep[] {
  const out: CompensationStep[] = [];
  if (wasAttempted(log, "shipment_created")) out.push("shipment_halted");
  out.push(wasAttempted(log, "committed") ? "restocked" : "released");
  if (wasAttempted(log, "captured")) out.push("refunded");
  else if (wasAttempted(log, "authorized")) out.push("voided");
  return out;
}

/**
 * When the order's object should next wake up by itself: the stock hold's
 * expiry, a planned retry, the payment deadline, or (a run that should still
 * be going) the watchdog; null when the order rests until someone moves it.
 */
export function wakeUpAt(o: ResumeInput, watchdogMs: number): number | null {
  switch (o.status) {
    case "pending":
      return o.holdExpiresAt;
    case "confirming":
    case "cancelling":
      return o.retryAt ?? o.now + watchdogMs;
    case "awaiting_payment":
      return o.paymentDeadline ?? o.now + watchdogMs;
    case "confirmed":
      return cancelUnderWay(o.log) ? o.now + watchdogMs : null;
    default:
      return null;
  }
}
