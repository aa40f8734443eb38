/**
 * Keeps inventory.stock_levels in step with the Inventory objects: each
 * InventoryUpdated upserts its SKU's row unless the row already reflects the
 * same or a newer version, so redelivered, replayed or reordered events
 * never move a level backwards.
 */
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { stockLevels } from "../../db/schema/inventory.ts";
import type { InventoryUpdated } from "../../queues/contracts/events/inventory.ts";
import type { Queryable } from "../platform/db.ts";
import type { Envelope } from "../platform/event-envelope.ts";

/** An InventoryUpdated event, its payload validated by the consumer framework against the contract. */
export type InventoryUpdatedEvent = Envelope<z.output<(typeof InventoryUpdated)["payload"]>>;

/** Returns whether the row changed (false for a stale or repeated event). */
export async function projectStockLevel(db: Queryable, event: InventoryUpdatedEvent): Promise<boolean> {
  const p = event.payload;
  const row = {
    sku: p.sku,
    onHand: p.onHand,
    reserved: p.reserved,
    available: p.available,
    lowStockThreshold: p.lowStockThreshold,
    reorderPoint: p.reorderPoint,
    reorderQuantity: p.reorderQuantity,
    version: p.version,
    ledgerSeq: p.ledgerSeq,
    updatedAt: new Date(p.updatedAt),
  };
  const { sku: _sku, ...changes } = row;
  const written = await db
    .insert(stockLevels)
    .values(row)
    .onConflictDoUpdate({ target: stockLevels.sku, set: changes, setWhere: sql`${stockLevels.version} < ${p.version}` })
    .returning({ sku: stockLevels.sku });
  return written.length > 0;
}
