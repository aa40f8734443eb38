/** Burn rates over a window's counts, and the breach and recovery rules. */
import { describe, expect, it } from "vitest";
import { type BurnPolicy, breachThreshold, burnRate, evaluate } from "./slo-rules.ts";

const policy: BurnPolicy = { longWindowMs: 3_600_000, shortWindowMs: 300_000, burnRate: 14.4 };
const slo = { objective: 0.999, minEvents: 10 };

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
