/**
 * Reads of the inventory family's Postgres projection of stock per SKU, for
 * other families (listings, search facets, reports). The Inventory Durable
 * Object of each SKU is the only writer of stock; this table follows it.
 */
import { inArray } from "drizzle-orm";
import { stockLevels } from "../../db/schema/inventory.ts";
import type { Queryable } from "../platform/db.ts";

export interface StockLevel {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
}

/** Stock of each requested SKU; a SKU without a row has none. */
export async function getStockLevels(db: Queryable, skus: string[]): Promise<Map<string, StockLevel>> {
  const result = new Map<string, StockLevel>();
  if (skus.length === 0) return result;
  const rows = await db.select().from(stockLevels).where(inArray(stockLevels.sku, skus));
  for (const r of rows) result.set(r.sku, { sku: r.sku, onHand: r.onHand, reserved: r.reserved, available: r.available });
  for (const sku of skus) if (!result.has(sku)) result.set(sku, { sku, onHand: 0, reserved: 0, available: 0 });
  return result;
}
