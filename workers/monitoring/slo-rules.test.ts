/** Burn rates over windows of cumulative samples, and the breach and recovery rules. */
import { describe, expect, it } from "vitest";
import { type BurnPolicy, breachThreshold, burnRate, evaluate, windowCounts } from "./slo-rules.ts";

const policy: BurnPolicy = { longWindowMs: 3_600_000, shortWindowMs: 300_000, burnRate: 14.4 };
const slo = { objective: 0.999, minEvents: 10 };
const MIN = 60_000;

describe("window counts", () => {
  it("takes the events since the newest sample at or before the window's start", () => {
    const history = [
      { at: 0, good: 100, total: 100 },
      { at: 50 * MIN, good: 150, total: 160 },
      { at: 58 * MIN, good: 190, total: 200 },
    ];
    const now = { at: 60 * MIN, good: 200, total: 220 };
    expect(windowCounts(now, history, policy.longWindowMs)).toEqual({ good: 100, total: 120 });
    expect(windowCounts(now, history, policy.shortWindowMs)).toEqual({ good: 50, total: 60 });
  });

  it("uses the oldest sample with less history than the window, and all counts after a restart", () => {
    expect(windowCounts({ at: 10 * MIN, good: 30, total: 40 }, [{ at: 9 * MIN, good: 10, total: 10 }], policy.longWindowMs)).toEqual({
      good: 20,
      total: 30,
    });
    // The counters went down: a new isolate counted from zero.
    expect(windowCounts({ at: 10 * MIN, good: 3, total: 5 }, [{ at: 0, good: 90, total: 100 }], policy.shortWindowMs)).toEqual({
      good: 3,
      total: 5,
    });
    expect(windowCounts({ at: 0, good: 3, total: 5 }, [], policy.shortWindowMs)).toEqual({ good: 3, total: 5 });
  });
});

describe("burn rates", () => {
  it("is the error ratio over the budget, and null without events", () => {
    expect(burnRate({ good: 99, total: 100 }, 0.99)).toBeCloseTo(1);
    expect(burnRate({ good: 0, total: 10 }, 0.999)).toBeCloseTo(1000);
    expect(burnRate({ good: 0, total: 0 }, 0.999)).toBeNull();
    // A loose objective still breaches: the threshold never asks for more than every event failing.
    expect(breachThreshold(policy, 0.9)).toBeCloseTo(10);
    expect(evaluate("met", { good: 0, total: 10 }, { good: 0, total: 10 }, { objective: 0.9, minEvents: 1 }, policy).status).toBe(
      "breached",
    );
    expect(breachThreshold(policy, 0.999)).toBe(14.4);
  });

  it("breaches only when both windows burn fast enough with enough events, and recovers on the short window", () => {
    const bad = { good: 80, total: 100 };
    const good = { good: 100, total: 100 };
    expect(evaluate("met", bad, bad, slo, policy)).toMatchObject({ status: "breached", changed: true });
    // A burst already over (the short window is clean) is no breach, nor is an old one still in the long window only.
    expect(evaluate("met", bad, good, slo, policy)).toMatchObject({ status: "met", changed: false });
    expect(evaluate("met", good, bad, slo, policy).status).toBe("met");
    expect(evaluate("met", bad, { good: 0, total: 5 }, slo, policy).status).toBe("met");
    // While breached: still burning, or a quiet short window, changes nothing; good events recover it.
    expect(evaluate("breached", bad, bad, slo, policy)).toMatchObject({ status: "breached", changed: false });
    expect(evaluate("breached", bad, { good: 0, total: 0 }, slo, policy).changed).toBe(false);
    expect(evaluate("breached", bad, good, slo, policy)).toMatchObject({ status: "met", changed: true, shortBurn: 0 });
  });
});
