/**
 * A product's rating as numbers: which reviews count (approved ones), how a
 * change of one review moves the histogram, and the summary shown and sent
 * in events. Pure functions; the aggregate store applies the deltas.
 */
import type { ReviewStatus } from "../../db/schema/reviews.ts";
import type { ProductRatingSummary } from "../../queues/contracts/events/review.ts";

/** Counts of 1 to 5 stars, index 0 holding the 1-star count. */
export type Histogram = [number, number, number, number, number];

export interface RatedState {
  status: ReviewStatus;
  rating: number;
}

export const emptyHistogram = (): Histogram => [0, 0, 0, 0, 0];

/** What one review adds to its product's histogram: one at its stars while approved, nothing otherwise. */
export function contribution(state: RatedState | null): Histogram {
  const h = emptyHistogram();
  if (state && state.status === "approved") {
    if (!Number.isInteger(state.rating) || state.rating < 1 || state.rating > 5)
      throw new RangeError(`rating ${state.rating} is not 1 to 5 stars`);
    h[state.rating - 1] = 1;
  }
  return h;
}

/** How the histogram moves when a review goes from `before` to `after` (null: not there). */
export function ratingDelta(before: RatedState | null, after: RatedState | null): Histogram {
  const a = contribution(before);
  const b = contribution(after);
  return b.map((n, i) => n - a[i]!) as Histogram;
}

export const isZeroDelta = (d: Histogram) => d.every((n) => n === 0);

export function addHistograms(a: Histogram, b: Histogram): Histogram {
  return a.map((n, i) => n + b[i]!) as Histogram;
}

/** The average to two decimals (halves away from zero), 0 for no reviews. */
export function averageOf(h: Histogram): number {
  const count = h.reduce((s, n) => s + n, 0);
  if (count === 0) return 0;
  const total = h.reduce((s, n, i) => s + n * (i + 1), 0);
  return Math.round((total / count) * 100) / 100;
}

export function summarize(productId: string, h: Histogram, version: number): ProductRatingSummary {
  return {
    productId,
    average: averageOf(h),
    count: h.reduce((s, n) => s + n, 0),
    histogram: { 1: h[0], 2: h[1], 3: h[2], 4: h[3], 5: h[4] },
    version,
  };
}
