/** The saga's decisions: next step, where an interrupted run resumes, compensations, retries and wake-ups. */
import { describe, expect, it } from "vitest";
import {
  compensationOrder,
  moneyCompensation,
  nextForwardStep,
  pastPointOfNoReturn,
  previousStep,
  type ResumeInput,
  resumeAction,
  retryDelayMs,
  type StepLog,
  type StepName,
  stockCompensation,
  wakeUpAt,
} from "./saga-rules.ts";

const log = (entries: [StepName, "started" | "done" | "failed"][]): StepLog =>
  Object.fromEntries(entries.map(([step, state]) => [step, { step, state, attempts: 1, result: null, error: null }]));

const NOW = 1_000_000;
const input = (over: Partial<ResumeInput>): ResumeInput => ({
  status: "confirming",
  log: {},
  retryAt: null,
  holdExpiresAt: NOW + 60_000,
  paymentDeadline: null,
  now: NOW,
  ...over,
});

describe("forward steps", () => {
  it("goes reserved, authorized, captured, committed, shipment_created, then nothing", () => {
    expect(nextForwardStep({})).toBe("reserved");
    expect(nextForwardStep(log([["reserved", "done"]]))).toBe("authorized");
    expect(
      nextForwardStep(
        log([
          ["reserved", "done"],
          ["authorized", "started"],
        ]),
      ),
    ).toBe("authorized");
    expect(
      nextForwardStep(
        log([
          ["reserved", "done"],
          ["authorized", "done"],
          ["captured", "done"],
        ]),
      ),
    ).toBe("committed");
    expect(
      nextForwardStep(
        log([
          ["reserved", "done"],
          ["authorized", "done"],
          ["captured", "done"],
          ["committed", "done"],
          ["shipment_created", "done"],
        ]),
      ),
    ).toBeNull();
    expect(previousStep("authorized")).toBe("reserved");
    expect(previousStep("reserved")).toBeNull();
  });

  it("passes the point of no return with the capture", () => {
    expect(
      pastPointOfNoReturn(
        log([
          ["authorized", "done"],
          ["captured", "started"],
        ]),
      ),
    ).toBe(false);
    expect(
      pastPointOfNoReturn(
        log([
          ["authorized", "done"],
          ["captured", "done"],
        ]),
      ),
    ).toBe(true);
  });
});

describe("resuming", () => {
  it("compensates a run cut short before the capture, and finishes one cut short after it", () => {
    expect(
      resumeAction(
        input({
          log: log([
            ["reserved", "done"],
            ["authorized", "done"],
          ]),
        }),
      ),
    ).toEqual({ kind: "compensate" });
    expect(
      resumeAction(
        input({
          log: log([
            ["reserved", "done"],
            ["authorized", "done"],
            ["captured", "done"],
          ]),
        }),
      ),
    ).toEqual({ kind: "forward" });
  });

  it("waits for a planned retry, then goes forward", () => {
    expect(resumeAction(input({ retryAt: NOW + 5 }))).toEqual({ kind: "wait", until: NOW + 5 });
    expect(resumeAction(input({ retryAt: NOW }))).toEqual({ kind: "forward" });
    expect(resumeAction(input({ status: "cancelling", retryAt: NOW + 5 }))).toEqual({ kind: "wait", until: NOW + 5 });
    expect(resumeAction(input({ status: "cancelling" }))).toEqual({ kind: "compensate" });
  });

  it("expires a pending order whose hold lapsed, checks a payment that settles later, finishes an interrupted cancel", () => {
    expect(resumeAction(input({ status: "pending" }))).toEqual({ kind: "wait", until: NOW + 60_000 });
    expect(resumeAction(input({ status: "pending", holdExpiresAt: NOW }))).toEqual({ kind: "expire" });
    expect(resumeAction(input({ status: "awaiting_payment" }))).toEqual({ kind: "check_payment" });
    expect(resumeAction(input({ status: "confirmed", log: log([["shipment_halted", "started"]]) }))).toEqual({ kind: "finish_cancel" });
    expect(resumeAction(input({ status: "confirmed", log: log([["shipment_halted", "done"]]) }))).toEqual({ kind: "finish_cancel" });
    // A stop the carrier refused (the parcel had left): the order stays confirmed.
    expect(resumeAction(input({ status: "confirmed", log: log([["shipment_halted", "failed"]]) }))).toEqual({ kind: "rest" });
    for (const status of ["confirmed", "shipped", "delivered", "cancelled"] as const)
      expect(resumeAction(input({ status }))).toEqual({ kind: "rest" });
  });

  it("wakes up at what the order waits for, or never when it rests", () => {
    expect(wakeUpAt(input({ status: "pending" }), 10)).toBe(NOW + 60_000);
    expect(wakeUpAt(input({ retryAt: NOW + 7 }), 10)).toBe(NOW + 7);
    expect(wakeUpAt(input({}), 10)).toBe(NOW + 10);
    expect(wakeUpAt(input({ status: "awaiting_payment", paymentDeadline: NOW + 99 }), 10)).toBe(NOW + 99);
    expect(wakeUpAt(input({ status: "confirmed" }), 10)).toBeNull();
    expect(wakeUpAt(input({ status: "confirmed", log: log([["shipment_halted", "started"]]) }), 10)).toBe(NOW + 10);
    expect(wakeUpAt(input({ status: "cancelled" }), 10)).toBeNull();
  });

  it("doubles the retry delay up to five minutes", () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(30, 1000)).toBe(300_000);
  });
});

describe("compensations", () => {
  it("returns sold stock, releases held stock, and leaves alone what is not held", () => {
    expect(stockCompensation("committed")).toEqual({ step: "restocked", finishCommitFirst: false });
    expect(stockCompensation("committing")).toEqual({ step: "restocked", finishCommitFirst: true });
    expect(stockCompensation("held")).toEqual({ step: "released", finishCommitFirst: false });
    expect(stockCompensation("releasing")).toEqual({ step: "released", finishCommitFirst: false });
    for (const s of ["released", "expired", "refused", "failed"] as const) expect(stockCompensation(s).step).toBeNull();
    expect(stockCompensation(null).step).toBeNull();
  });

  it("refunds what was captured and not yet refunded, voids an authorisation, and does nothing otherwise", () => {
    expect(moneyCompensation({ status: "captured", capturedMinor: 500, refundedMinor: 0 })).toEqual({ step: "refunded", amountMinor: 500 });
    expect(moneyCompensation({ status: "partially_refunded", capturedMinor: 500, refundedMinor: 200 })).toEqual({
      step: "refunded",
      amountMinor: 300,
    });
    for (const status of ["authorized", "authorizing", "pending_settlement", "requires_action"])
      expect(moneyCompensation({ status, capturedMinor: 0, refundedMinor: 0 })).toEqual({ step: "voided" });
    for (const status of ["voided", "failed", "refunded"])
      expect(
        moneyCompensation({ status, capturedMinor: status === "refunded" ? 500 : 0, refundedMinor: status === "refunded" ? 500 : 0 }),
      ).toBeNull();
    expect(moneyCompensation(null)).toBeNull();
  });

  it("undoes the steps in reverse order of what was attempted", () => {
    expect(compensationOrder(log([["reserved", "done"]]))).toEqual(["released"]);
    expect(
      compensationOrder(
        log([
          ["reserved", "done"],
          ["authorized", "started"],
        ]),
      ),
    ).toEqual(["released", "voided"]);
    expect(
      compensationOrder(
        log([
          ["reserved", "done"],
          ["authorized", "done"],
          ["captured", "done"],
          ["committed", "started"],
        ]),
      ),
    ).toEqual(["restocked", "refunded"]);
    expect(
      compensationOrder(
        log([
          ["reserved", "done"],
          ["authorized", "done"],
          ["captured", "done"],
          ["committed", "done"],
          ["shipment_created", "done"],
        ]),
      ),
    ).toEqual(["shipment_halted", "restocked", "refunded"]);
  });
});
