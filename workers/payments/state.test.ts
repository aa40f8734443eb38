/** The payment state machine: forward only, terminal states stay put. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PAYMENT_STATUSES } from "../../db/schema/payments.ts";
import { canTransition, decide, isRetryable, type PaymentStatus, refundable, statusAfterRefunds, TERMINAL } from "./state.ts";

/** How far along a payment is: a legal move never goes to a lower rank. */
const RANK: Record<PaymentStatus, number> = {
  authorizing: 0,
  requires_action: 1,
  pending_settlement: 2,
  authorized: 3,
  captured: 4,
  partially_refunded: 5,
  refunded: 6,
  voided: 4,
  failed: 4,
};

describe("payment state machine", () => {
  it("allows the checkout path and its compensations", () => {
    expect(canTransition("authorizing", "authorized")).toBe(true);
    expect(canTransition("authorizing", "pending_settlement")).toBe(true);
    expect(canTransition("pending_settlement", "authorized")).toBe(true);
    expect(canTransition("authorized", "captured")).toBe(true);
    expect(canTransition("authorized", "voided")).toBe(true);
    expect(canTransition("authorizing", "voided")).toBe(true);
    expect(canTransition("captured", "partially_refunded")).toBe(true);
    expect(canTransition("partially_refunded", "refunded")).toBe(true);
  });

  it("refuses every backward move", () => {
    expect(canTransition("captured", "authorized")).toBe(false);
    expect(canTransition("authorized", "pending_settlement")).toBe(false);
    expect(canTransition("refunded", "captured")).toBe(false);
    expect(canTransition("captured", "voided")).toBe(false);
    expect(canTransition("captured", "failed")).toBe(false);
  });

  it("never leaves a terminal state", () => {
    for (const from of TERMINAL) for (const to of PAYMENT_STATUSES) expect(canTransition(from, to)).toBe(false);
  });

  it("never moves to a lower rank, whatever the sequence of reported outcomes", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PAYMENT_STATUSES), { maxLength: 30 }), (reports) => {
        let status: PaymentStatus = "authorizing";
        for (const to of reports) {
          const d = decide(status, to);
          if (d.apply) {
            expect(RANK[d.to]).toBeGreaterThanOrEqual(RANK[status]);
            status = d.to;
          }
        }
      }),
    );
  });

  it("tells a repeat from a stale report", () => {
    expect(decide("captured", "captured")).toEqual({ apply: false, why: "same" });
    expect(decide("captured", "authorized")).toEqual({ apply: false, why: "stale" });
    expect(decide("voided", "authorized")).toEqual({ apply: false, why: "stale" });
    expect(decide("pending_settlement", "authorized")).toEqual({ apply: true, to: "authorized" });
  });

  it("computes refund status and what is left, counting refunds in flight", () => {
    expect(statusAfterRefunds(1000, 0)).toBe("captured");
    expect(statusAfterRefunds(1000, 400)).toBe("partially_refunded");
    expect(statusAfterRefunds(1000, 1000)).toBe("refunded");
    expect(refundable({ capturedMinor: 1000, refundedMinor: 400 }, 0)).toBe(600);
    expect(refundable({ capturedMinor: 1000, refundedMinor: 400 }, 500)).toBe(100);
    expect(refundable({ capturedMinor: 1000, refundedMinor: 400 }, 700)).toBe(0);
  });

  it("lets customers retry every failure but suspected fraud", () => {
    expect(isRetryable("card_declined")).toBe(true);
    expect(isRetryable("insufficient_funds")).toBe(true);
    expect(isRetryable("fraud_suspected")).toBe(false);
  });
});
