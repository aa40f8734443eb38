/**
 * Inventory events (topic `inventory`), written by each SKU's Inventory
 * Durable Object into its own SQLite outbox in the same write as the stock
 * change, and published by the object's alarm.
 *
 * InventoryUpdated carries the whole stock level of one SKU and its
 * `version` (bumped by every change of that SKU), so a projection upserts
 * from the event alone and ignores anything older than what it holds. While
 * unpublished, a newer InventoryUpdated replaces the pending one of the same
 * SKU: consumers see the latest level, never a stale one, and
 * `GET /api/inventory/{sku}/ledger` has every single movement (`ledgerSeq`
 * is the last movement the level includes). The alerts are never merged.
 */
import { z } from "zod";
import { defineEvent } from "../../../workers/platform/event-contracts.ts";

export const STOCK_STATUSES = ["in_stock", "low_stock", "out_of_stock"] as const;

export const MOVEMENT_KINDS = [
  "opening",
  "receipt",
  "adjustment",
  "reservation",
  "release",
  "expiry",
  "sale",
  "return",
  "settings",
  "resync",
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

const count = z.number().int().nonnegative();

export const InventoryUpdated = defineEvent({
  type: "InventoryUpdated",
  version: 1,
  topic: "inventory",
  description: "The stock level of one SKU changed (or was re-announced); carries the whole level and its version.",
  payload: z.object({
    sku: z.string(),
    onHand: count,
    reserved: count,
    available: count,
    lowStockThreshold: count,
    reorderPoint: count,
    reorderQuantity: count,
    status: z.enum(STOCK_STATUSES),
    /** Bumped by every change of this SKU: consumers keep the highest they have seen. */
    version: z.number().int().positive(),
    /** The last ledger movement this level includes. */
    ledgerSeq: count,
    /** The kind of the last movement. */
    cause: z.enum(MOVEMENT_KINDS),
    updatedAt: z.string(),
  }),
});

export const LowStockAlert = defineEvent({
  type: "LowStockAlert",
  version: 1,
  topic: "inventory",
  description: "The available quantity of a SKU fell below its low-stock threshold (announced once per crossing).",
  payload: z.object({ sku: z.string(), available: count, onHand: count, lowStockThreshold: count, version: z.number().int().positive() }),
});

export const OutOfStock = defineEvent({
  type: "OutOfStock",
  version: 1,
  topic: "inventory",
  description: "Nothing of a SKU is available any more (announced once per crossing to zero).",
  payload: z.object({ sku: z.string(), onHand: count, reserved: count, version: z.number().int().positive() }),
});

export const ReorderSuggested = defineEvent({
  type: "ReorderSuggested",
  version: 1,
  topic: "inventory",
  description: "The available quantity of a SKU reached its reorder point; suggests ordering the reorder quantity.",
  payload: z.object({
    sku: z.string(),
    available: count,
    onHand: count,
    reorderPoint: count,
    suggestedQuantity: z.number().int().positive(),
    version: z.number().int().positive(),
  }),
});
