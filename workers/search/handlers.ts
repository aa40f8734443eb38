/**
 * The search consumer group's handlers: product and inventory events keep
 * the projection up to date. Each runs inside the framework's transaction,
 * which also records the event as processed.
 *
 * Ratings: `applyRating` (indexer.ts) is ready for the review family's
 * events; it is wired here once a review event carries a product's rating
 * average, count and a version that orders them.
 */
import type { z } from "zod";
import type { EventHandler, HandlerMap } from "../../queues/consumers/framework.ts";
import { InventoryUpdated } from "../../queues/contracts/events/inventory.ts";
import { PriceChanged, ProductCreated, ProductDeleted, ProductUpdated } from "../../queues/contracts/events/product.ts";
import type { EventContract } from "../platform/events/contracts.ts";
import { applyDeletion, applySnapshot, applyStockLevel, refreshFromCatalog } from "./indexer.ts";

/** A handler typed by its contract; the framework has already validated the payload against it. */
function on<T extends string, S extends z.ZodType>(contract: EventContract<T, S>, handle: (payload: z.output<S>, ctx: Parameters<EventHandler>[1]) => Promise<unknown>): [string, EventHandler[]] {
  return [contract.type, [async (event, ctx) => void (await handle(event.payload as z.output<S>, ctx))]];
}

export const searchHandlers: HandlerMap = Object.fromEntries([
  on(ProductCreated, (p, { tx }) => applySnapshot(tx, p.product)),
  on(ProductUpdated, (p, { tx }) => applySnapshot(tx, p.product)),
  on(ProductDeleted, (p, { tx }) => applyDeletion(tx, p)),
  on(PriceChanged, (p, { tx }) => refreshFromCatalog(tx, p.productId, p.version)),
  on(InventoryUpdated, (p, { tx }) => applyStockLevel(tx, p)),
]);
