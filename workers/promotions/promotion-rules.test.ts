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
  startsAt: new Date("2026-05-01T00:00:00Z"),
  endsAt: new Date("2026-07-01T00:00:00Z"),
  usageLimit: null,
  perCustomerLimit: null,
  uses: 0,
  ...over,
});
const LINES = [
  { lineNo: 1, productId: "prd_a", lineTotalMinor: 1_000 },
  { lineNo: 2, productId: "prd_b", lineTotalMinor: 2_001 },
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
