/** Several codes together: which are chosen, in what order they apply, and what each line is left with. */
import { describe, expect, it } from "vitest";
import type { Promotion } from "./promotion-rules.ts";
import { chooseCodes, stackPromotions } from "./promotion-stacking.ts";

const promo = (code: string, over: Partial<Promotion> = {}): Promotion => ({
  id: `prm_${code}`,
  code,
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
  combinable: true,
  active: true,
  startsAt: new Date("2026-01-01T00:00:00Z"),
  endsAt: null,
  usageLimit: null,
  perCustomerLimit: null,
  uses: 0,
  ...over,
});
const LINES = [
  { lineNo: 1, productId: "prd_a", quantity: 1, lineTotalMinor: 1_000 },
  { lineNo: 2, productId: "prd_b", quantity: 3, lineTotalMinor: 3_000 },
];

describe("choosing codes", () => {
  it("lets the highest-priority code decide: not combinable applies alone, combinable applies with the other combinable ones", () => {
    const alone = promo("ALONE", { combinable: false, priority: 5 });
    const a = promo("A", { priority: 1 });
    const b = promo("B", { priority: 9 });
    expect(chooseCodes([a, alone]).chosen.map((p) => p.code)).toEqual(["ALONE"]);
    expect(chooseCodes([a, alone]).setAside).toEqual([{ code: "A", reason: "ALONE applies alone" }]);
    const withB = chooseCodes([a, alone, b]);
    expect(withB.chosen.map((p) => p.code)).toEqual(["B", "A"]);
    expect(withB.setAside.map((s) => s.code)).toEqual(["ALONE"]);
    // Equal priorities: by code, whatever order they came in.
    expect(chooseCodes([promo("Z", { combinable: false }), promo("Y", { combinable: false })]).chosen[0]!.code).toBe("Y");
  });
});

describe("stacking", () => {
  it("applies each chosen code to what the lines come to after the codes before it", () => {
    const fixed = promo("FIVE", { kind: "fixed", amountMinor: 2_000, currency: "USD", percentBp: null, priority: 2 });
    const tenth = promo("TENTH", { priority: 1 });
    const got = stackPromotions([tenth, fixed], LINES);
    expect(got.applied.map((a) => [a.code, a.discountMinor])).toEqual([
      ["FIVE", 2_000],
      ["TENTH", 200],
    ]);
    expect(got.discountMinor).toBe(2_200);
    // The line amounts add up to the whole discount, and no line goes below zero.
    expect([...got.perLine.values()].reduce((x, y) => x + y, 0)).toBe(2_200);
    expect(got.perLine).toEqual(
      new Map([
        [1, 550],
        [2, 1_650],
      ]),
    );
  });

  it("never takes more than the lines are worth, and adds free shipping and buy X get Y", () => {
    const all = promo("ALL", { kind: "fixed", amountMinor: 9_999, currency: "USD", percentBp: null, priority: 3 });
    const ship = promo("SHIP", { kind: "free_shipping", percentBp: null });
    const got = stackPromotions([ship, all, promo("MORE")], LINES);
    expect(got.discountMinor).toBe(4_000);
    expect(got.freeShipping).toBe(true);
    const bxgy = promo("B2G1", { kind: "buy_x_get_y", buyQuantity: 2, getQuantity: 1, percentBp: 10_000, priority: 1 });
    const both = stackPromotions([promo("TENTH"), bxgy], LINES);
    // Four units, one group: the cheapest unit (1000 of line 1 or 2: line 1 first) is free, then 10 % of what is left.
    expect(both.applied.map((a) => [a.code, a.discountMinor])).toEqual([
      ["B2G1", 1_000],
      ["TENTH", 300],
    ]);
  });

  it("applies nothing without codes", () => {
    expect(stackPromotions([], LINES)).toMatchObject({ applied: [], discountMinor: 0, freeShipping: false });
  });
});
