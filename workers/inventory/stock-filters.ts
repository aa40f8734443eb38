/**
 * SQL conditions over the inventory projection for other families' queries
 * (catalog listings, search facets), so they can filter on stock inside
 * their own statements without knowing this family's tables.
 */
import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { stockLevels } from "../../db/schema/inventory.ts";

/** True when the SKU (a column or expression of the caller's query) has at least one unit available. */
export function skuInStock(sku: AnyPgColumn | SQL): SQL {
  return sql`exists (select 1 from ${stockLevels} where ${stockLevels.sku} = ${sku} and ${stockLevels.available} > 0)`;
}
