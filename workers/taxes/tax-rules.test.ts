/** Tax arithmetic: inclusive and exclusive regions, rounding per line or per total, shipping, classes. */
import { describe, expect, it } from "vitest";
import { sandboxTaxProvider } from "./providers.ts";
import { computeTax, type TaxRegionRules, taxOn } from "./tax-rules.ts";

const DE: TaxRegionRules = {
  code: "DE",
  pricesIncludeTax: true,
  rounding: "total",
  standardBp: 1900,
  reducedBp: 700,
  shippingTaxClass: "standard",
};
const CA: TaxRegionRules = {
  code: "US-CA",
  pricesIncludeTax: false,
  rounding: "line",
  standardBp: 725,
  reducedBp: 725,
  shippingTaxClass: "exempt",
};

describe("one amount", () => {
  it("adds tax on top in exclusive regions and takes it out in inclusive ones, half-up", () => {
    expect(taxOn(10_000, 725, false)).toBe(725);
    expect(taxOn(11_900, 1900, true)).toBe(1900);
    // 0.5 of a minor unit rounds up: 10 × 5 % = 0.5.
    expect(taxOn(10, 500, false)).toBe(1);
    expect(taxOn(9, 500, false)).toBe(0);
  });

  it("stays exact for amounts whose product with the rate is beyond a double's integers", () => {
    expect(taxOn(999_999_999_999, 1900, false)).toBe(190_000_000_000);
    expect(taxOn(999_999_999_999, 1900, true)).toBe(159_663_865_546);
  });
});

describe("an order's tax", () => {
  it("taxes each line at its class's rate and the shipping as its region says", () => {
    const t = computeTax(
      DE,
      [
        { lineNo: 1, taxClass: "standard", amountMinor: 11_900 },
        { lineNo: 2, taxClass: "reduced", amountMinor: 1_070 },
        { lineNo: 3, taxClass: "zero", amountMinor: 500 },
        { lineNo: 4, taxClass: "exempt", amountMinor: 800 },
      ],
      595,
    );
    expect(t.lines).toEqual([
      { lineNo: 1, taxClass: "standard", rateBp: 1900, taxableMinor: 11_900, taxMinor: 1_900 },
      { lineNo: 2, taxClass: "reduced", rateBp: 700, taxableMinor: 1_070, taxMinor: 70 },
      { lineNo: 3, taxClass: "zero", rateBp: 0, taxableMinor: 500, taxMinor: 0 },
    ]);
    expect(t.shipping).toEqual({ rateBp: 1900, taxableMinor: 595, taxMinor: 95 });
    expect(t.rates).toEqual([
      { rateBp: 1900, netMinor: 10_500, taxMinor: 1_995 },
      { rateBp: 700, netMinor: 1_000, taxMinor: 70 },
      { rateBp: 0, netMinor: 500, taxMinor: 0 },
    ]);
    expect(t.taxMinor).toBe(2_065);
  });

  it("leaves shipping untaxed where it is exempt", () => {
    const t = computeTax(CA, [{ lineNo: 1, taxClass: "standard", amountMinor: 2_000 }], 499);
    expect(t.shipping).toBeNull();
    expect(t.taxMinor).toBe(145);
    expect(t.rates).toEqual([{ rateBp: 725, netMinor: 2_000, taxMinor: 145 }]);
  });

  it("rounds many small lines per line or per total, as configured", () => {
    const small = Array.from({ length: 10 }, (_, i) => ({ lineNo: i + 1, taxClass: "standard" as const, amountMinor: 3 }));
    // 0.03 × 19 % = 0.0057 per line: each rounds to 1 minor unit; the sum 0.30 × 19 % = 0.057 rounds to 6.
    const perLine = computeTax({ ...DE, pricesIncludeTax: false, rounding: "line" }, small, 0);
    expect(perLine.taxMinor).toBe(10);
    const perTotal = computeTax({ ...DE, pricesIncludeTax: false, rounding: "total" }, small, 0);
    expect(perTotal.taxMinor).toBe(6);
    // Shared out so the lines still add up to the total, one minor unit each to the first six (equal remainders).
    expect(perTotal.lines.map((l) => l.taxMinor)).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect(perTotal.rates).toEqual([{ rateBp: 1900, netMinor: 30, taxMinor: 6 }]);
  });

  it("shares a per-total rounding out by largest remainder in inclusive regions", () => {
    const t = computeTax(
      DE,
      [
        { lineNo: 1, taxClass: "standard", amountMinor: 1_001 },
        { lineNo: 2, taxClass: "standard", amountMinor: 1_003 },
        { lineNo: 3, taxClass: "standard", amountMinor: 999 },
      ],
      0,
    );
    // 3003 × 19/119 = 479.47 → 479; the lines' exact shares 159.82, 160.14, 159.50.
    expect(t.taxMinor).toBe(479);
    expect(t.lines.map((l) => l.taxMinor)).toEqual([160, 160, 159]);
    expect(t.rates).toEqual([{ rateBp: 1900, netMinor: 3_003 - 479, taxMinor: 479 }]);
  });
});

describe("the sandbox provider", () => {
  it("implements the provider interface with one flat rate on top of lines and shipping", async () => {
    const t = await sandboxTaxProvider(1000).calculate({
      currency: "USD",
      destination: { country: "US", region: "OR" },
      lines: [{ lineNo: 1, productId: "prd_1", amountMinor: 2_005 }],
      shippingMinor: 499,
    });
    expect(t).toMatchObject({ provider: "sandbox", regionCode: "US-OR", pricesIncludeTax: false, taxMinor: 201 + 50 });
    expect(t.shipping).toEqual({ rateBp: 1000, taxableMinor: 499, taxMinor: 50 });
  });
});
