/** Stock levels of the demo variants (demo-data.ts). */
import { type DemoStock, LOW_STOCK_THRESHOLD, type ProductStatus } from "./demo-types.ts";
import type { Rng } from "./rng.ts";

/**
 * Mostly 5-200 units, ~8% sold out and ~10% under the low-stock threshold, so
 * listings, facets and alerts all have something to show. Nothing is reserved:
 * reservations only come from real checkouts.
 */
export function stockFor(rng: Rng, sku: string, status: ProductStatus): DemoStock {
  const r = rng.next();
  const onHand = status === "archived" || r < 0.08 ? 0 : r < 0.18 ? rng.int(1, LOW_STOCK_THRESHOLD - 1) : rng.int(LOW_STOCK_THRESHOLD, 200);
  return { sku, onHand, reserved: 0, available: onHand, lowStockThreshold: LOW_STOCK_THRESHOLD };
}
