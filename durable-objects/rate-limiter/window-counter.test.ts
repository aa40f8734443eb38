import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { takeFromWindow, type WindowCounter } from "./window-counter.ts";

describe("fixed-window counter", () => {
  it("admits the limit, then refuses until the window closes", () => {
    let counter: WindowCounter | undefined;
    const remaining: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = takeFromWindow(counter, 1_000 + i, 3, 10_000);
      expect(r.allowed).toBe(true);
      remaining.push(r.remaining);
      counter = r.counter;
    }
    expect(remaining).toEqual([2, 1, 0]);
    const refused = takeFromWindow(counter, 5_000, 3, 10_000);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, resetMs: 6_000 });
    expect(refused.counter).toEqual(counter);
    const reopened = takeFromWindow(counter, 11_000, 3, 10_000);
    expect(reopened).toMatchObject({ allowed: true, remaining: 2, resetMs: 10_000 });
  });

  it("never admits more than the limit in one window, whatever the timing", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3_000 }), { maxLength: 200 }), fc.integer({ min: 1, max: 10 }), (gaps, limit) => {
        let counter: WindowCounter | undefined;
        let now = 0;
        const admittedPerWindow = new Map<number, number>();
        for (const gap of gaps) {
          now += gap;
          const r = takeFromWindow(counter, now, limit, 5_000);
          counter = r.counter;
          if (r.allowed) admittedPerWindow.set(r.counter.windowStart, (admittedPerWindow.get(r.counter.windowStart) ?? 0) + 1);
          expect(r.resetMs).toBeGreaterThan(0);
          expect(r.resetMs).toBeLessThanOrEqual(5_000);
        }
        for (const n of admittedPerWindow.values()) expect(n).toBeLessThanOrEqual(limit);
      }),
    );
  });
});
