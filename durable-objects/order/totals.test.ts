/** Pricing an order from the catalogue's quotes: merged lines, refusals naming SKUs, shipping threshold, totals. */
import { describe, expect, it } from "vitest";
import type { SkuQuote } from "../../workers/products/index.ts";
import { mergeLines, ORDER_TOTAL_MAX_MINOR, orderTotals, priceLines, shippingFee, unitPaidMinor, withTax } from "./totals.ts";

const quote = (sku: string, baseMinor: number, discountMinor = 0, currency = "USD", sellable = true): SkuQuote => ({
  sku,
  variantId: `var_${sku}`,
  productId: `prd_${sku}`,
  productName: `Product ${sku}`,
  options: { size: "M" },
  weightGrams: null,
  sellable,
  price: {
    currency,
    baseMinor,
    unitPriceMinor: baseMinor - discountMinor,
    discountMinor,
    compareAtMinor: discountMinor > 0 ? baseMinor : null,
    discount: discountMinor > 0 ? { id: "dsc_1", name: "Spring", kind: "fixed", percentBp: null, amountMinor: discountMinor } : null,
  },
});
const quotes = (...qs: SkuQuote[]) => new Map(qs.map((q) => [q.sku, q]));
const FEES = { USD: { feeMinor: 499, freeFromMinor: 5000 }, JPY: { feeMinor: 500, freeFromMinor: null } };

describe("order lines", () => {
  it("merges repeated SKUs in first-seen order", () => {
    expect(
      mergeLines([
        { sku: "B", quantity: 1 },
        { sku: "A", quantity: 2 },
        { sku: "B", quantity: 3 },
      ]),
    ).toEqual([
      { sku: "B", quantity: 4 },
      { sku: "A", quantity: 2 },
    ]);
  });

  it("prices each line at the catalogue's unit price, discount included", () => {
    const lines = priceLines(
      [
        { sku: "A", quantity: 2 },
        { sku: "B", quantity: 1 },
      ],
      quotes(quote("A", 1000, 250), quote("B", 300)),
    );
    expect(lines).toEqual([
      expect.objectContaining({
        lineNo: 1,
        sku: "A",
        quantity: 2,
        unitBaseMinor: 1000,
        unitDiscountMinor: 250,
        unitPriceMinor: 750,
        lineTotalMinor: 1500,
        discountName: "Spring",
        productId: "prd_A",
        variantId: "var_A",
      }),
      expect.objectContaining({ lineNo: 2, sku: "B", quantity: 1, unitPriceMinor: 300, lineTotalMinor: 300, discountName: null }),
    ]);
  });

  it("refuses unknown and unsellable SKUs and mixed currencies, naming them", () => {
    expect(() => priceLines([{ sku: "X", quantity: 1 }], quotes(quote("A", 1)))).toThrow(
      expect.objectContaining({ status: 422, code: "UNKNOWN_SKU", message: expect.stringContaining("X") }),
    );
    expect(() => priceLines([{ sku: "A", quantity: 1 }], quotes(quote("A", 1, 0, "USD", false)))).toThrow(
      expect.objectContaining({ status: 422, code: "SKU_NOT_SELLABLE", message: expect.stringContaining("A") }),
    );
    expect(() =>
      priceLines(
        [
          { sku: "A", quantity: 1 },
          { sku: "B", quantity: 1 },
        ],
        quotes(quote("A", 1), quote("B", 1, 0, "EUR")),
      ),
    ).toThrow(expect.objectContaining({ status: 422, code: "MIXED_CURRENCIES" }));
  });
});

describe("totals", () => {
  it("charges shipping below the threshold (after discounts) and none from it", () => {
    expect(shippingFee("USD", 4999, FEES)).toBe(499);
    expect(shippingFee("USD", 5000, FEES)).toBe(0);
    expect(shippingFee("JPY", 10_000_000, FEES)).toBe(500);
    expect(shippingFee("CHF", 10, FEES)).toBe(0);
  });

  it("adds up subtotal at list price, discount, shipping and a zero tax", () => {
    const lines = priceLines(
      [
        { sku: "A", quantity: 2 },
        { sku: "B", quantity: 1 },
      ],
      quotes(quote("A", 2000, 500), quote("B", 1000)),
    );
    expect(orderTotals(lines, "USD", FEES)).toEqual({
      currency: "USD",
      itemCount: 3,
      subtotalMinor: 5000,
      discountMinor: 1000,
      shippingMinor: 499,
      taxMinor: 0,
      totalMinor: 4499,
    });
    const big = priceLines([{ sku: "A", quantity: 5 }], quotes(quote("A", 2000, 500)));
    expect(orderTotals(big, "USD", FEES)).toMatchObject({ subtotalMinor: 10_000, discountMinor: 2500, shippingMinor: 0, totalMinor: 7500 });
  });
});

describe("the order total's maximum", () => {
  it("accepts an order of exactly the maximum and refuses one minor unit more", () => {
    const atMax = priceLines([{ sku: "A", quantity: 1 }], quotes(quote("A", ORDER_TOTAL_MAX_MINOR)));
    expect(orderTotals(atMax, "JPY", {}).totalMinor).toBe(ORDER_TOTAL_MAX_MINOR);
    const above = priceLines([{ sku: "A", quantity: 1 }], quotes(quote("A", ORDER_TOTAL_MAX_MINOR - 499)));
    // The shipping fee takes it one minor unit over.
    expect(() => orderTotals(above, "JPY", { JPY: { feeMinor: 500, freeFromMinor: null } })).toThrow(/at most 999999999999/);
  });
});

describe("tax in an order", () => {
  it("adds tax to the total where prices exclude it and leaves the total alone where they include it", () => {
    const lines = priceLines([{ sku: "A", quantity: 3 }], quotes(quote("A", 1000)));
    const before = orderTotals(lines, "USD", FEES);
    const tax = { lines: [{ lineNo: 1, rateBp: 725, taxMinor: 218 }], taxMinor: 218 };
    const exclusive = withTax(lines, before, { ...tax, pricesIncludeTax: false });
    expect(exclusive.totals).toMatchObject({ taxMinor: 218, totalMinor: 3000 + 499 + 218 });
    expect(exclusive.lines[0]).toMatchObject({ taxRateBp: 725, taxMinor: 218 });
    expect(withTax(lines, before, { ...tax, pricesIncludeTax: true }).totals).toMatchObject({ taxMinor: 218, totalMinor: 3499 });
  });

  it("refuses an order that tax takes over the maximum", () => {
    const lines = priceLines([{ sku: "A", quantity: 1 }], quotes(quote("A", ORDER_TOTAL_MAX_MINOR)));
    const before = orderTotals(lines, "JPY", {});
    expect(() => withTax(lines, before, { pricesIncludeTax: false, lines: [{ lineNo: 1, rateBp: 1, taxMinor: 1 }], taxMinor: 1 })).toThrow(
      /at most/,
    );
  });

  it("gives a returned unit its share of a tax added on top, rounded down", () => {
    expect(unitPaidMinor({ unitPriceMinor: 1000, quantity: 3, taxMinor: 218 }, false)).toBe(1072);
    expect(unitPaidMinor({ unitPriceMinor: 1190, quantity: 2, taxMinor: 380 }, true)).toBe(1190);
  });
});
