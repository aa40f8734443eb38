/** The circuit breaker's rules: closed → open → half-open (one probe) → closed, or open again. */
import { describe, expect, it } from "vitest";
import { admit, type BreakerPolicy, type BreakerRecord, closedRecord, coolDownLeft, type Outcome, recordOutcome } from "./breaker-rules.ts";

const policy: BreakerPolicy = {
  failureThreshold: 3,
  failureRatio: 0.5,
  minCalls: 10,
  windowMs: 60_000,
  coolDownMs: 5000,
  probeLeaseMs: 8000,
};

const feed = (r: BreakerRecord, outcomes: Outcome[], at = 0): BreakerRecord =>
  outcomes.reduce((acc, o) => recordOutcome(acc, policy, at, o), r);

describe("circuit breaker rules", () => {
  it("opens after the failures in a row, and a success in between resets the run", () => {
    const almost = feed(closedRecord(0), ["failure", "failure", "success", "failure", "failure"]);
    expect(almost.state).toBe("closed");
    expect(almost.consecutiveFailures).toBe(2);
    const open = recordOutcome(almost, policy, 100, "failure");
    expect(open).toMatchObject({ state: "open", openedAt: 100, opens: 1 });
  });

  it("opens on the failure ratio once the window has enough calls, and not before", () => {
    const mixed: Outcome[] = ["failure", "success", "failure", "failure", "success", "failure", "success", "failure", "success"];
    const nine = feed(closedRecord(0), mixed);
    expect(nine.state).toBe("closed");
    expect(recordOutcome(nine, policy, 0, "success").state).toBe("open");
  });

  it("forgets the window's counts when it has passed", () => {
    const r = feed(
      closedRecord(0),
      Array(9)
        .fill("success")
        .map((_, i) => (i % 2 ? "success" : "failure")) as Outcome[],
    );
    const later = recordOutcome(r, policy, 60_001, "failure");
    expect(later).toMatchObject({ state: "closed", calls: 1, failures: 1, windowStart: 60_001 });
  });

  it("refuses while open with the cool-down left, then admits exactly one probe", () => {
    const open = feed(closedRecord(0), ["failure", "failure", "failure"], 1000);
    expect(admit(open, policy, 3000)).toMatchObject({ allowed: false, retryAfterMs: 3000 });
    expect(coolDownLeft(open, policy, 3000)).toBe(3000);
    const probe = admit(open, policy, 6000);
    expect(probe).toMatchObject({ allowed: true, probe: true, record: { state: "half_open", probeUntil: 14_000 } });
    const second = admit(probe.record, policy, 6001);
    expect(second).toMatchObject({ allowed: false, probe: false, retryAfterMs: 7999 });
    // A probe whose isolate never reported frees the slot after its lease.
    expect(admit(probe.record, policy, 14_000)).toMatchObject({ allowed: true, probe: true });
  });

  it("closes on the probe's success and reopens on its failure; other outcomes change nothing", () => {
    const open = feed(closedRecord(0), ["failure", "failure", "failure"], 1000);
    const half = admit(open, policy, 7000).record;
    expect(recordOutcome(half, policy, 7100, "failure", false)).toBe(half);
    expect(recordOutcome(half, policy, 7100, "success", true)).toMatchObject({
      state: "closed",
      consecutiveFailures: 0,
      calls: 0,
      opens: 1,
    });
    const again = recordOutcome(half, policy, 7100, "failure", true);
    expect(again).toMatchObject({ state: "open", openedAt: 7100, opens: 1 });
    expect(admit(again, policy, 7200).allowed).toBe(false);
  });

  it("ignores late outcomes while open", () => {
    const open = feed(closedRecord(0), ["failure", "failure", "failure"]);
    expect(recordOutcome(open, policy, 10, "success")).toBe(open);
    expect(admit(closedRecord(0), policy, 0)).toMatchObject({ allowed: true, probe: false });
  });
});
