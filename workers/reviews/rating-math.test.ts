import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ReviewStatus } from "../../db/schema/reviews.ts";
import {
  addHistograms,
  averageOf,
  contribution,
  emptyHistogram,
  type Histogram,
  type RatedState,
  ratingDelta,
  summarize,
} from "./rating-math.ts";

describe("rating deltas", () => {
  it("counts approved reviews only, at their stars", () => {
    expect(contribution({ status: "approved", rating: 4 })).toEqual([0, 0, 0, 1, 0]);
    expect(contribution({ status: "pending", rating: 4 })).toEqual([0, 0, 0, 0, 0]);
    expect(contribution({ status: "rejected", rating: 1 })).toEqual([0, 0, 0, 0, 0]);
    expect(contribution(null)).toEqual([0, 0, 0, 0, 0]);
    expect(() => contribution({ status: "approved", rating: 6 })).toThrow(RangeError);
  });

  it("moves one review between buckets on an edit, and out on a rejection or deletion", () => {
    expect(ratingDelta({ status: "approved", rating: 2 }, { status: "approved", rating: 5 })).toEqual([0, -1, 0, 0, 1]);
    expect(ratingDelta({ status: "approved", rating: 3 }, { status: "rejected", rating: 3 })).toEqual([0, 0, -1, 0, 0]);
    expect(ratingDelta({ status: "pending", rating: 3 }, { status: "approved", rating: 3 })).toEqual([0, 0, 1, 0, 0]);
    expect(ratingDelta({ status: "approved", rating: 1 }, null)).toEqual([-1, 0, 0, 0, 0]);
    expect(ratingDelta({ status: "pending", rating: 1 }, { status: "pending", rating: 5 })).toEqual([0, 0, 0, 0, 0]);
  });

  it("summarises with a two-decimal average and 0 without reviews", () => {
    expect(averageOf(emptyHistogram())).toBe(0);
    expect(averageOf([0, 0, 1, 1, 1])).toBe(4);
    expect(averageOf([1, 0, 0, 1, 1])).toBe(3.33);
    expect(averageOf([0, 0, 0, 1, 2])).toBe(4.67);
    expect(summarize("prd_1", [1, 0, 0, 0, 2], 7)).toEqual({
      productId: "prd_1",
      average: 3.67,
      count: 3,
      histogram: { 1: 1, 2: 0, 3: 0, 4: 0, 5: 2 },
      version: 7,
    });
  });

  it("keeps a histogram equal to a recount over any sequence of changes", () => {
    const state = fc.record({
      status: fc.constantFrom<ReviewStatus>("pending", "approved", "rejected"),
      rating: fc.integer({ min: 1, max: 5 }),
    });
    // Each step sets one of five reviews to a new state or deletes it (null).
    const steps = fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.option(state, { nil: null })), { maxLength: 60 });
    fc.assert(
      fc.property(steps, (ops) => {
        const reviews: (RatedState | null)[] = [null, null, null, null, null];
        let h: Histogram = emptyHistogram();
        for (const [i, next] of ops) {
          h = addHistograms(h, ratingDelta(reviews[i]!, next));
          reviews[i] = next;
        }
        const recount = reviews.reduce<Histogram>((acc, r) => addHistograms(acc, contribution(r)), emptyHistogram());
        expect(h).toEqual(recount);
        expect(h.every((n) => n >= 0)).toBe(true);
      }),
    );
  });
});
