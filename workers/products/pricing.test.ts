import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DiscountRule, nextPriceChange, type PricedVariant, priceFrom, priceUnit, priceWindows } from "./pricing.ts";

const T0 = new Date("2026-06-01T00:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const variant = (over: Partial<PricedVariant> = {}): PricedVariant => ({
  productId: "prd_A",
  categoryPath: "clothing/shirts",
  priceMinor: 10_000,
  compareAtMinor: null,
  currency: "USD",
  ...over,
});

const discount = (over: Partial<DiscountRule> = {}): DiscountRule => ({
  id: "dsc_1",
  name: "Sale",
  kind: "percentage",
  percentBp: 1000,
  amountMinor: null,
  currency: null,
  scope: "all",
  productId: null,
  categoryPath: null,
  startsAt: at(0),
  endsAt: null,
  ...over,
});

describe("priceUnit", () => {
  it("charges the base price when no discount is in force", () => {
    expect(priceUnit(variant(), [], at(5))).toEqual({
      currency: "USD",
      baseMinor: 10_000,
      unitPriceMinor: 10_000,
      discountMinor: 0,
      compareAtMinor: null,
      discount: null,
    });
  });

  it("applies a percentage and shows the base price as compare-at", () => {
    const p = priceUnit(variant(), [discount({ percentBp: 1250 })], at(5));
    expect(p).toMatchObject({
      unitPriceMinor: 8750,
      discountMinor: 1250,
      compareAtMinor: 10_000,
      discount: { id: "dsc_1", kind: "percentage", percentBp: 1250 },
    });
  });

  it("rounds the amount off to the nearest minor unit, halves up", () => {
    expect(priceUnit(variant({ priceMinor: 5 }), [discount({ percentBp: 1000 })], at(1)).unitPriceMinor).toBe(4); // 0.5 off -> 1
    expect(priceUnit(variant({ priceMinor: 1999 }), [discount({ percentBp: 3333 })], at(1)).discountMinor).toBe(666); // 666.27
    expect(priceUnit(variant({ priceMinor: 1999 }), [discount({ percentBp: 2500 })], at(1)).discountMinor).toBe(500); // 499.75
  });

  it("applies a fixed amount only in its own currency, and never below zero", () => {
    const fixed = discount({ kind: "fixed", percentBp: null, amountMinor: 1500, currency: "USD" });
    expect(priceUnit(variant(), [fixed], at(1)).unitPriceMinor).toBe(8500);
    expect(priceUnit(variant({ currency: "EUR" }), [fixed], at(1)).unitPriceMinor).toBe(10_000);
    expect(priceUnit(variant({ priceMinor: 900 }), [fixed], at(1))).toMatchObject({ unitPriceMinor: 0, discountMinor: 900 });
  });

  it("honours the window: start included, end excluded", () => {
    const d = discount({ startsAt: at(10), endsAt: at(20) });
    expect(priceUnit(variant(), [d], at(9.999)).unitPriceMinor).toBe(10_000);
    expect(priceUnit(variant(), [d], at(10)).unitPriceMinor).toBe(9000);
    expect(priceUnit(variant(), [d], at(19.999)).unitPriceMinor).toBe(9000);
    expect(priceUnit(variant(), [d], at(20)).unitPriceMinor).toBe(10_000);
  });

  it("scopes discounts to a product or a category subtree", () => {
    const forProduct = discount({ scope: "product", productId: "prd_B" });
    expect(priceUnit(variant(), [forProduct], at(1)).discountMinor).toBe(0);
    expect(priceUnit(variant({ productId: "prd_B" }), [forProduct], at(1)).discountMinor).toBe(1000);

    const forCategory = discount({ scope: "category", categoryPath: "clothing" });
    expect(priceUnit(variant({ categoryPath: "clothing" }), [forCategory], at(1)).discountMinor).toBe(1000);
    expect(priceUnit(variant({ categoryPath: "clothing/shirts" }), [forCategory], at(1)).discountMinor).toBe(1000);
    // A sibling whose path merely starts with the same letters is not below it.
    expect(priceUnit(variant({ categoryPath: "clothing-accessories" }), [forCategory], at(1)).discountMinor).toBe(0);
    expect(priceUnit(variant({ categoryPath: null }), [forCategory], at(1)).discountMinor).toBe(0);
  });

  it("does not stack: the largest reduction wins, ties go to the earlier start", () => {
    const tenPercent = discount({ id: "dsc_a", percentBp: 1000, startsAt: at(-5) });
    const fifteenOff = discount({ id: "dsc_b", kind: "fixed", percentBp: null, amountMinor: 1500, currency: "USD" });
    const sameAsTen = discount({ id: "dsc_c", kind: "fixed", percentBp: null, amountMinor: 1000, currency: "USD", startsAt: at(-1) });
    expect(priceUnit(variant(), [tenPercent, fifteenOff], at(1)).discount?.id).toBe("dsc_b");
    expect(priceUnit(variant(), [sameAsTen, tenPercent], at(1)).discount?.id).toBe("dsc_a");
  });

  it("keeps the variant's own compare-at price when it is higher", () => {
    expect(priceUnit(variant({ compareAtMinor: 12_000 }), [discount()], at(1)).compareAtMinor).toBe(12_000);
    expect(priceUnit(variant({ compareAtMinor: 12_000 }), [], at(1)).compareAtMinor).toBe(12_000);
    // A compare-at price at or under what is paid is not a "was" price.
    expect(priceUnit(variant({ compareAtMinor: 10_000 }), [], at(1)).compareAtMinor).toBeNull();
  });

  it("holds its invariants for any prices and discounts", () => {
    const arbDiscount = fc
      .record({
        id: fc.constantFrom("dsc_1", "dsc_2", "dsc_3"),
        name: fc.constant("d"),
        kind: fc.constantFrom("percentage" as const, "fixed" as const),
        percentBp: fc.integer({ min: 1, max: 10_000 }),
        amountMinor: fc.integer({ min: 1, max: 1_000_000 }),
        currency: fc.constantFrom("USD", "EUR"),
        scope: fc.constantFrom("all" as const, "product" as const, "category" as const),
        productId: fc.constantFrom("prd_A", "prd_B"),
        categoryPath: fc.constantFrom("clothing", "clothing/shirts", "home"),
        startsAt: fc.integer({ min: -100, max: 100 }).map(at),
        length: fc.option(fc.integer({ min: 1, max: 100 })),
      })
      .map(
        ({ length, ...d }): DiscountRule => ({ ...d, endsAt: length === null ? null : new Date(d.startsAt.getTime() + length * 60_000) }),
      );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(arbDiscount, { maxLength: 5 }),
        fc.integer({ min: -150, max: 250 }),
        (price, discounts, minute) => {
          const v = variant({ priceMinor: price });
          const p = priceUnit(v, discounts, at(minute));
          expect(p.unitPriceMinor).toBeGreaterThanOrEqual(0);
          expect(p.unitPriceMinor).toBeLessThanOrEqual(price);
          expect(p.discountMinor).toBe(price - p.unitPriceMinor);
          // No single discount in force would have given a lower price.
          for (const d of discounts) expect(p.unitPriceMinor).toBeLessThanOrEqual(priceUnit(v, [d], at(minute)).unitPriceMinor);
          if (p.compareAtMinor !== null) expect(p.compareAtMinor).toBeGreaterThan(p.unitPriceMinor);
        },
      ),
    );
  });
});

describe("priceFrom", () => {
  it("is the cheapest variant after discounts", () => {
    const vs = [variant({ priceMinor: 3000 }), variant({ priceMinor: 2500 })];
    expect(priceFrom(vs, [discount({ percentBp: 5000 })], at(1))?.unitPriceMinor).toBe(1250);
    expect(priceFrom([], [], at(1))).toBeNull();
  });
});

describe("priceWindows", () => {
  it("is one open window without discounts", () => {
    expect(priceWindows([variant(), variant({ priceMinor: 12_000 })], [], at(0))).toEqual([
      { validFrom: null, validUntil: null, minPriceMinor: 10_000, maxPriceMinor: 12_000, currency: "USD", discounted: false },
    ]);
  });

  it("splits at the start and end of a future discount and merges equal neighbours", () => {
    const windows = priceWindows(
      [variant()],
      [
        discount({ startsAt: at(10), endsAt: at(20) }),
        discount({ id: "dsc_2", scope: "product", productId: "prd_other", startsAt: at(15) }),
      ],
      at(0),
    );
    expect(windows).toEqual([
      { validFrom: null, validUntil: at(10), minPriceMinor: 10_000, maxPriceMinor: 10_000, currency: "USD", discounted: false },
      { validFrom: at(10), validUntil: at(20), minPriceMinor: 9000, maxPriceMinor: 9000, currency: "USD", discounted: true },
      { validFrom: at(20), validUntil: null, minPriceMinor: 10_000, maxPriceMinor: 10_000, currency: "USD", discounted: false },
    ]);
  });

  it("agrees with priceFrom at every moment", () => {
    const arb = fc.array(
      fc.record({
        start: fc.integer({ min: -50, max: 50 }),
        length: fc.option(fc.integer({ min: 1, max: 60 })),
        bp: fc.integer({ min: 1, max: 9000 }),
        product: fc.boolean(),
      }),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(arb, fc.array(fc.integer({ min: 100, max: 50_000 }), { minLength: 1, maxLength: 4 }), (specs, prices) => {
        const discounts = specs.map((s, i) =>
          discount({
            id: `dsc_${i}`,
            percentBp: s.bp,
            scope: s.product ? "product" : "all",
            productId: "prd_A",
            startsAt: at(s.start),
            endsAt: s.length === null ? null : at(s.start + s.length),
          }),
        );
        const vs = prices.map((p) => variant({ priceMinor: p }));
        const windows = priceWindows(vs, discounts, at(0));
        for (let minute = 0; minute <= 120; minute += 0.5) {
          const t = at(minute);
          const inside = windows.filter((w) => (w.validFrom === null || w.validFrom <= t) && (w.validUntil === null || t < w.validUntil));
          expect(inside).toHaveLength(1);
          expect(inside[0]!.minPriceMinor).toBe(priceFrom(vs, discounts, t)!.unitPriceMinor);
        }
      }),
    );
  });
});

describe("nextPriceChange", () => {
  it("is the nearest future start or end", () => {
    const ds = [discount({ startsAt: at(-10), endsAt: at(30) }), discount({ startsAt: at(12) })];
    expect(nextPriceChange(ds, at(0))).toEqual(at(12));
    expect(nextPriceChange(ds, at(12))).toEqual(at(30));
    expect(nextPriceChange(ds, at(30))).toBeNull();
  });
});
