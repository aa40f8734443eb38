import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Attempt, forgive, tryAttempt } from "./window.ts";

const policy = { limit: 5, windowMs: 60_000 };

describe("sliding window", () => {
  it("allows the limit, then refuses with the time until the oldest attempt leaves the window", () => {
    let attempts: Attempt[] = [];
    for (let i = 0; i < 5; i++) {
      const r = tryAttempt(attempts, `a${i}`, 1_000 + i * 1_000, policy);
      expect(r.allowed).toBe(true);
      attempts = r.attempts;
    }
    const refused = tryAttempt(attempts, "a5", 10_000, policy);
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 51_000 });
    expect(tryAttempt(attempts, "a5", 61_001, policy).allowed).toBe(true);
  });

  it("does not count refused attempts, so waiting is enough", () => {
    let attempts: Attempt[] = [];
    for (let i = 0; i < 5; i++) attempts = tryAttempt(attempts, `a${i}`, 0, policy).attempts;
    for (let t = 1; t < 60_000; t += 7_000) expect(tryAttempt(attempts, "x", t, policy).allowed).toBe(false);
    expect(tryAttempt(attempts, "x", 60_000, policy).allowed).toBe(true);
  });

  it("forgives a successful attempt", () => {
    let attempts: Attempt[] = [];
    for (let i = 0; i < 5; i++) attempts = tryAttempt(attempts, `a${i}`, 0, policy).attempts;
    attempts = forgive(attempts, "a2");
    expect(tryAttempt(attempts, "a5", 1, policy).allowed).toBe(true);
  });

  it("never holds more than the limit inside any window, whatever the timing", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 200 }), (gaps) => {
        const small = { limit: 3, windowMs: 10_000 };
        let attempts: Attempt[] = [];
        const accepted: number[] = [];
        let now = 0;
        gaps.forEach((gap, i) => {
          now += gap;
          const r = tryAttempt(attempts, String(i), now, small);
          attempts = r.attempts;
          if (r.allowed) accepted.push(now);
          else expect(r.retryAfterMs).toBeGreaterThan(0);
        });
        for (const t of accepted) expect(accepted.filter((u) => u > t - small.windowMs && u <= t).length).toBeLessThanOrEqual(small.limit);
      }),
    );
  });
});
