/** Promotion codes alone and against the order: windows, limits, minimum, eligibility, kinds, sharing out. */
import { describe, expect, it } from "vitest";
import { applyPromotion, type Promotion, refusal } from "./promotion-rules.ts";

const AT = new Date("2026-06-01T12:00:00Z");
const promo = (over: Partial<Promotion> = {}): Promotion => ({
  id: "prm_1",
  code: "SPRING",
  kind: "percentage",
  percentBp: 1000,
  amountMinor: null,
  currency: null,
  minSubtotalMinor: 0,
  productIds: [],
  categoryIds: [],
  brandIds: [],
  buyQuantity: null,
  getQuantity: null,
  priority: 0,
  combinable: false,
  active: true,
  startsAt: new Date("2026-05-01T00:00:00Z"),
  endsAt: new Date("2026-07-01T00:00:00Z"),
  usageLimit: null,
  perCustomerLimit: null,
  uses: 0,
  ...over,
});
const LINES = [
  { lineNo: 1, productId: "prd_a", quantity: 1, lineTotalMinor: 1_000 },
  { lineNo: 2, productId: "prd_b", quantity: 1, lineTotalMinor: 2_001 },
];

describe("whether a code applies", () => {
  it("holds only inside its window, below its usage limit, above its minimum and with an eligible line", () => {
    expect(refusal(promo(), LINES, "USD", AT)).toBeNull();
    expect(refusal(promo({ startsAt: new Date("2026-06-02T00:00:00Z") }), LINES, "USD", AT)).toMatch(/not valid yet/);
    expect(refusal(promo({ endsAt: AT }), LINES, "USD", AT)).toMatch(/expired/);
    expect(refusal(promo({ usageLimit: 3, uses: 3 }), LINES, "USD", AT)).toMatch(/used up/);
    expect(refusal(promo({ minSubtotalMinor: 3_002 }), LINES, "USD", AT)).toMatch(/at least 3002/);
    expect(refusal(promo({ minSubtotalMinor: 3_001 }), LINES, "USD", AT)).toBeNull();
    expect(refusal(promo({ productIds: ["prd_z"] }), LINES, "USD", AT)).toMatch(/eligible/);
    expect(refusal(promo({ kind: "fixed", amountMinor: 500, currency: "EUR" }), LINES, "USD", AT)).toMatch(/EUR/);
    expect(refusal(promo({ active: false }), LINES, "USD", AT)).toMatch(/not active/);
  });
});

describe("what a code takes off", () => {
  it("takes a percentage of the eligible lines, rounded down, shared out to add up", () => {
    const all = applyPromotion(promo(), LINES);
    expect(all.discountMinor).toBe(300);
    expect([...all.perLine]).toEqual([
      [1, 100],
      [2, 200],
    ]);
    const onlyB = applyPromotion(promo({ productIds: ["prd_b"] }), LINES);
    expect(onlyB.discountMinor).toBe(200);
    expect([...onlyB.perLine]).toEqual([[2, 200]]);
  });

  it("takes a fixed amount, never more than the eligible lines come to", () => {
    const fixed = applyPromotion(promo({ kind: "fixed", amountMinor: 1_000, currency: "USD", percentBp: null }), LINES);
    expect(fixed.discountMinor).toBe(1_000);
    expect([...fixed.perLine.values()].reduce((a, b) => a + b, 0)).toBe(1_000);
    expect(applyPromotion(promo({ kind: "fixed", amountMinor: 9_999, currency: "USD", productIds: ["prd_a"] }), LINES).discountMinor).toBe(
      1_000,
    );
  });

  it("waives the shipping and takes nothing off the lines for free shipping", () => {
    const free = applyPromotion(promo({ kind: "free_shipping", percentBp: null }), LINES);
    expect(free).toMatchObject({ discountMinor: 0, freeShipping: true });
    expect(free.perLine.size).toBe(0);
  });
});

describe("categories and brands", () => {
  const lines = [
    { lineNo: 1, productId: "prd_a", quantity: 1, lineTotalMinor: 1_000, categoryIds: ["cat_root", "cat_audio"], brandId: "brd_x" },
    { lineNo: 2, productId: "prd_b", quantity: 1, lineTotalMinor: 3_000, categoryIds: ["cat_root", "cat_home"], brandId: "brd_y" },
    { lineNo: 3, productId: "prd_c", quantity: 1, lineTotalMinor: 5_000, categoryIds: [], brandId: null },
  ];

  it("counts the lines of a category or one below it, and only those", () => {
    const audio = applyPromotion(promo({ categoryIds: ["cat_audio"] }), lines);
    expect([...audio.perLine]).toEqual([[1, 100]]);
    // A category high in the tree covers every product below it.
    expect(applyPromotion(promo({ categoryIds: ["cat_root"] }), lines).discountMinor).toBe(400);
    expect(refusal(promo({ categoryIds: ["cat_toys"] }), lines, "USD", AT)).toMatch(/eligible/);
  });

  it("counts a brand's lines, and a line named by any of products, categories or brands", () => {
    expect([...applyPromotion(promo({ brandIds: ["brd_y"] }), lines).perLine]).toEqual([[2, 300]]);
    const either = applyPromotion(promo({ brandIds: ["brd_y"], productIds: ["prd_c"] }), lines);
    expect([...either.perLine]).toEqual([
      [2, 300],
      [3, 500],
    ]);
  });
});

describe("buy X, get Y", () => {
  const bxgy = (over: Partial<Promotion> = {}) =>
    promo({ kind: "buy_x_get_y", buyQuantity: 2, getQuantity: 1, percentBp: 10_000, ...over });
  const lines = [
    { lineNo: 1, productId: "prd_a", quantity: 2, lineTotalMinor: 2_000 },
    { lineNo: 2, productId: "prd_b", quantity: 2, lineTotalMinor: 600 },
    { lineNo: 3, productId: "prd_c", quantity: 2, lineTotalMinor: 4_000 },
  ];

  it("gives the cheapest units free, one per full group of buy + get", () => {
    // Six units: two groups of three, so the two cheapest units (both of line 2, 300 each) are free.
    const got = applyPromotion(bxgy(), lines);
    expect(got.discountMinor).toBe(600);
    expect([...got.perLine]).toEqual([[2, 600]]);
  });

  it("takes a percentage off the units given, across lines when the cheapest line runs out", () => {
    const got = applyPromotion(bxgy({ buyQuantity: 1, getQuantity: 1, percentBp: 5_000 }), lines);
    // Three groups of two: three units at half price, the two of line 2 and one of line 1.
    expect([...got.perLine]).toEqual([
      [2, 300],
      [1, 500],
    ]);
    expect(got.discountMinor).toBe(800);
  });

  it("counts only eligible units and is refused below one full group", () => {
    expect(refusal(bxgy({ productIds: ["prd_a"] }), lines, "USD", AT)).toMatch(/3 eligible units/);
    expect(refusal(bxgy(), lines, "USD", AT)).toBeNull();
    expect(applyPromotion(bxgy({ productIds: ["prd_a", "prd_c"] }), lines).perLine).toEqual(new Map([[1, 1_000]]));
  });
});
