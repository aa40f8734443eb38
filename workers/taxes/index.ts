/** Taxes: tax regions and rates, products' tax classes, and the tax provider that prices an order's tax. */
import { defineFamily } from "../platform/family.ts";
import { taxesConfig } from "./config.ts";
import { TaxErrors } from "./errors.ts";
import { taxesRoutes } from "./routes.ts";

export const taxes = defineFamily({
  name: "taxes",
  schemas: ["tax"],
  routes: { "/api/taxes": taxesRoutes },
  errors: TaxErrors,
  config: taxesConfig,
});

// What other families use: an order's tax, and the figures a tax result holds.
export { calculateTax } from "./providers.ts";
export type { TaxResult } from "./tax-rules.ts";
