/**
 * Tax providers: what computes an order's tax. The table provider (the
 * default) applies the regions and product classes kept by this family; the
 * sandbox provider stands in for an external calculator (one flat rate on
 * top of everything) and shows the interface such a service implements.
 */
import type { Queryable } from "../platform/db.ts";
import type { Runtime } from "../platform/runtime.ts";
import { taxesConfig } from "./config.ts";
import { regionsByCode } from "./region-cache.ts";
import { classesOf, rulesFor } from "./store.ts";
import { computeTax, type TaxResult, untaxed } from "./tax-rules.ts";

export interface TaxRequest {
  currency: string;
  destination: { country: string; region: string | null };
  /** Amounts after discounts, in minor units. */
  lines: { lineNo: number; productId: string; amountMinor: number }[];
  shippingMinor: number;
}

export interface TaxProvider {
  readonly name: string;
  calculate(request: TaxRequest): Promise<TaxResult>;
}

export function tableTaxProvider(db: Queryable, regionsMaxAgeMs = 0): TaxProvider {
  return {
    name: "table",
    async calculate(request) {
      const [regions, classes] = await Promise.all([
        regionsByCode(db, regionsMaxAgeMs),
        classesOf(
          db,
          request.lines.map((l) => l.productId),
        ),
      ]);
      const rules = rulesFor(regions, request.destination.country, request.destination.region);
      if (!rules) return untaxed("table");
      const lines = request.lines.map((l) => ({
        lineNo: l.lineNo,
        taxClass: classes.get(l.productId) ?? "standard",
        amountMinor: l.amountMinor,
      }));
      return computeTax(rules, lines, request.shippingMinor, "table");
    },
  };
}

export function sandboxTaxProvider(rateBp: number): TaxProvider {
  return {
    name: "sandbox",
    async calculate(request) {
      const rules = {
        code: request.destination.region ? `${request.destination.country}-${request.destination.region}` : request.destination.country,
        pricesIncludeTax: false,
        rounding: "line" as const,
        standardBp: rateBp,
        reducedBp: rateBp,
        shippingTaxClass: "standard" as const,
      };
      return computeTax(
        rules,
        request.lines.map((l) => ({ lineNo: l.lineNo, taxClass: "standard" as const, amountMinor: l.amountMinor })),
        request.shippingMinor,
        "sandbox",
      );
    },
  };
}

/** The configured provider. */
export function taxProvider(rt: Runtime, db: Queryable): TaxProvider {
  const config = taxesConfig.read(rt);
  return config.TAX_PROVIDER === "sandbox"
    ? sandboxTaxProvider(config.TAX_SANDBOX_RATE_BP)
    : tableTaxProvider(db, config.TAX_REGIONS_CACHE_SECONDS * 1000);
}

/** An order's tax, from the configured provider. */
export function calculateTax(rt: Runtime, db: Queryable, request: TaxRequest): Promise<TaxResult> {
  return taxProvider(rt, db).calculate(request);
}
