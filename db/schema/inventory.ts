/**
 * The inventory family's Postgres projection of stock per SKU, for listings,
 * search facets and reports. The Inventory Durable Object of each SKU is the
 * only writer of stock; this table follows its events.
 */
import { integer, pgSchema, text, timestamp } from "drizzle-orm/pg-core";

export const inventorySchema = pgSchema("inventory");

export const stockLevels = inventorySchema.table("stock_levels", {
  sku: text("sku").primaryKey(),
  onHand: integer("on_hand").notNull().default(0),
  reserved: integer("reserved").notNull().default(0),
  available: integer("available").notNull().default(0),
  lowStockThreshold: integer("low_stock_threshold").notNull().default(5),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
