import { describe, expect, it } from "vitest";
import {
  aggregateNeighbours,
  categoryOverlap,
  contentSimilarity,
  coPurchaseScore,
  decay,
  fillFrom,
  type ItemFeatures,
  priceCloseness,
  rankAlsoBought,
  rankSimilar,
} from "./scoring.ts";

const item = (productId: string, over: Partial<ItemFeatures> = {}): ItemFeatures => ({
  productId,
  categoryPath: null,
  brandId: null,
  tags: [],
  attributes: [],
  priceMinor: null,
  ...over,
});

describe("co-purchase significance", () => {
  it("ranks a specific companion above a best-seller that shares more raw co-purchases", () => {
    // Seed bought by 20; the best-seller by 1000 (18 of them also bought the seed); the companion by 12 (10 shared).
    const ranked = rankAlsoBought(
      20,
      [
        { otherId: "bestseller", shared: 18, otherBuyers: 1000 },
        { otherId: "companion", shared: 10, otherBuyers: 12 },
      ],
      10,
    );
    expect(ranked.map((r) => r.productId)).toEqual(["companion", "bestseller"]);
  });

  it("damps pairs seen once: a single shared customer of two niche products ranks below a well-supported pair", () => {
    expect(coPurchaseScore(1, 1, 1)).toBeLessThan(coPurchaseScore(8, 10, 10));
    expect(coPurchaseScore(0, 5, 5)).toBe(0);
    expect(coPurchaseScore(3, 0, 5)).toBe(0);
  });
});

describe("content similarity", () => {
  const seed = item("seed", { categoryPath: "outdoor/tents", brandId: "b1", tags: ["camping", "2-person"], priceMinor: 20000 });

  it("prefers the same category, then brand and tags, then price band", () => {
    const ranked = rankSimilar(
      seed,
      [
        item("other-category", { categoryPath: "kitchen/pans", brandId: "b1", priceMinor: 20000 }),
        item("same-leaf", { categoryPath: "outdoor/tents", tags: ["camping"], priceMinor: 22000 }),
        item("sibling", { categoryPath: "outdoor/stoves", tags: ["camping"], priceMinor: 5000 }),
        item("seed", { categoryPath: "outdoor/tents" }),
      ],
      10,
    );
    expect(ranked.map((r) => r.productId)).toEqual(["same-leaf", "sibling", "other-category"]);
  });

  it("scores identical features 1 and nothing shared 0", () => {
    expect(contentSimilarity(seed, { ...seed, productId: "twin" })).toBeCloseTo(1);
    expect(contentSimilarity(seed, item("x", { categoryPath: "toys" }))).toBe(0);
  });

  it("measures category paths from the root and prices by ratio", () => {
    expect(categoryOverlap("a/b/c", "a/b/d")).toBeCloseTo(2 / 3);
    expect(categoryOverlap("a/b", "x/b")).toBe(0);
    expect(priceCloseness(1000, 2000)).toBe(0);
    expect(priceCloseness(1000, 1000)).toBe(1);
  });
});

describe("aggregating a shopper's seeds", () => {
  const graph: Record<string, { productId: string; score: number }[]> = {
    tent: [
      { productId: "stakes", score: 0.8 },
      { productId: "lamp", score: 0.3 },
    ],
    stove: [
      { productId: "gas", score: 0.9 },
      { productId: "lamp", score: 0.4 },
    ],
    hated: [{ productId: "hated-companion", score: 1 }],
  };
  const lookup = (id: string) => graph[id] ?? [];

  it("sums neighbours over seeds weighted by recency and drops excluded products and the seeds themselves", () => {
    const ranked = aggregateNeighbours(
      [
        { productId: "tent", weight: 5, ageHours: 0 },
        { productId: "stove", weight: 5, ageHours: 24 * 30 }, // a month old: barely pulls
        { productId: "hated", weight: -4, ageHours: 0 },
      ],
      lookup,
      new Set(["stakes"]),
      10,
    );
    expect(ranked.map((r) => r.productId)).toEqual(["lamp", "gas"]);
    expect(ranked.find((r) => r.productId === "hated-companion")).toBeUndefined();
  });

  it("fills from a fallback below the personal entries without repeats or excluded products", () => {
    const filled = fillFrom(
      [{ productId: "a", score: 2 }],
      [
        { productId: "a", score: 99 },
        { productId: "owned", score: 50 },
        { productId: "b", score: 10 },
        { productId: "c", score: 5 },
      ],
      new Set(["owned"]),
      3,
    );
    expect(filled.map((f) => f.productId)).toEqual(["a", "b", "c"]);
    expect(filled[1]!.score).toBeLessThan(2);
  });

  it("halves a weight every half-life", () => {
    expect(decay(8, 72, 72)).toBe(4);
    expect(decay(8, -5, 72)).toBe(8);
  });
});
