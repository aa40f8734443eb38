/**
 * The inventory family's Postgres projection of stock per SKU, for listings,
 * search facets and reports. The Inventory Durable Object of each SKU is the
 * only writer of stock; this table follows its InventoryUpdated events and
 * keeps the highest `version` it has seen, so a late or repeated event never
 * overwrites a newer level. A row with version 0 was written by the demo seed
 * and not yet confirmed by its object (the bootstrap job opens the object
 * from it).
 */
import { sql } from "drizzle-orm";
import { bigint, index, integer, pgSchema, text, timestamp } from "drizzle-orm/pg-core";

export const inventorySchema = pgSchema("inventory");

export const stockLevels = inventorySchema.table(
  "stock_levels",
  {
    sku: text("sku").primaryKey(),
    onHand: integer("on_hand").notNull().default(0),
    reserved: integer("reserved").notNull().default(0),
    available: integer("available").notNull().default(0),
    lowStockThreshold: integer("low_stock_threshold").notNull().default(5),
    reorderPoint: integer("reorder_point").notNull().default(3),
    reorderQuantity: integer("reorder_quantity").notNull().default(20),
    /** The object's stock version this row reflects; 0 for a seeded row no object has confirmed. */
    version: bigint("version", { mode: "number" }).notNull().default(0),
    /** The last ledger movement of the object this row includes. */
    ledgerSeq: bigint("ledger_seq", { mode: "number" }).notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("stock_levels_low_idx").on(t.available, t.sku).where(sql`${t.available} < ${t.lowStockThreshold}`),
    index("stock_levels_unconfirmed_idx").on(t.sku).where(sql`${t.version} = 0`),
  ],
);
