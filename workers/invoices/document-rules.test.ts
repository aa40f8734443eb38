/** The documents' arithmetic: totals per rate, the discount line, and part refunds shared out over the rates. */
import { describe, expect, it } from "vitest";
import { creditNoteContent, documentNumber, invoiceContent, shareOut } from "./document-rules.ts";

const header = {
  number: "INV-2026-000001",
  issuedAt: "2026-01-02T00:00:00.000Z",
  seller: { name: "S", addressLines: [], country: "IE" },
  buyer: { name: "B", addressLines: [], country: "DE" },
};
const line = (unit: number, qty: number, rateBp: number, taxMinor: number, promotionDiscountMinor = 0) => ({
  sku: `SKU-${unit}`,
  name: "Thing",
  options: { size: "M" },
  quantity: qty,
  unitPriceMinor: unit,
  lineTotalMinor: unit * qty,
  taxRateBp: rateBp,
  taxMinor,
  promotionDiscountMinor,
});

describe("document rules", () => {
  it("pads numbers to six digits per series and year", () => {
    expect(documentNumber("INV", 2026, 42)).toBe("INV-2026-000042");
  });

  it("keeps a promotion's share of a line in that line's rate, where its tax was computed", () => {
    // 119.00 with 10 % off, VAT included: 107.10 paid, of which 17.10 is VAT.
    const inv = invoiceContent(
      {
        orderId: "o",
        orderNumber: "EC-1",
        currency: "EUR",
        taxIncluded: true,
        totalMinor: 10_710,
        shippingMinor: 0,
        shippingTax: null,
        lines: [line(11_900, 1, 1900, 1_710, 1_190)],
      },
      header,
    );
    expect(inv.lines).toHaveLength(1);
    expect(inv.lines[0]).toMatchObject({ description: "Thing (size: M), promotion applied", amountMinor: 10_710, taxMinor: 1_710 });
    expect(inv.taxRates).toEqual([{ rateBp: 1900, netMinor: 9_000, taxMinor: 1_710 }]);
    expect(inv.totalMinor).toBe(10_710);
  });

  it("adds tax on top where prices exclude it, and prints a difference no line explains as a discount so the total is the order's", () => {
    const inv = invoiceContent(
      {
        orderId: "o",
        orderNumber: "EC-1",
        currency: "USD",
        taxIncluded: false,
        totalMinor: 3_717 - 500,
        shippingMinor: 499,
        shippingTax: null,
        lines: [line(3_000, 1, 725, 218)],
      },
      header,
    );
    expect(inv.lines.at(-1)).toMatchObject({ description: "Discount", amountMinor: -500 });
    expect(inv.lines[0]!.description).toBe("Thing (size: M)");
    expect(inv.taxRates).toEqual([
      { rateBp: 725, netMinor: 3_000, taxMinor: 218 },
      { rateBp: 0, netMinor: 499 - 500, taxMinor: 0 },
    ]);
    expect(inv.totalMinor).toBe(3_217);
  });

  it("shares a part refund over the rates by gross amount, to the cent", () => {
    expect(shareOut(100, [1, 1, 1])).toEqual([34, 33, 33]);
    const inv = invoiceContent(
      {
        orderId: "o",
        orderNumber: "EC-1",
        currency: "EUR",
        taxIncluded: true,
        totalMinor: 11_900 + 1_070,
        shippingMinor: 0,
        shippingTax: null,
        lines: [line(11_900, 1, 1900, 1_900), line(1_070, 1, 700, 70)],
      },
      header,
    );
    const cn = creditNoteContent(inv, 1_297, "goodwill", { ...header, number: "CN-2026-000001" });
    expect(cn.totalMinor).toBe(-1_297);
    expect(cn.lines.map((l) => [l.taxRateBp, l.amountMinor, l.taxMinor])).toEqual([
      [1900, -1_190, -190],
      [700, -107, -7],
    ]);
    expect(cn.invoiceNumber).toBe("INV-2026-000001");
  });
});
