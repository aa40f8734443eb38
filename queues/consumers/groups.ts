/**
 * The handlers of each consumer group. Families add theirs here as they
 * subscribe to events; a group without a handler for a type acknowledges it.
 */
import { pipelineHandlers } from "../../workers/pipeline/consumer.ts";
import type { ConsumerGroupName } from "../routing.ts";
import type { HandlerMap } from "./framework.ts";
import { projectStockLevel } from "../../workers/inventory/projection.ts";
import { appendAuditEntry } from "../../workers/audit/append.ts";
import { searchHandlers } from "../../workers/search/handlers.ts";
import { notificationHandlers } from "../../workers/notifications/consumer.ts";
import { reviewPipelineHandlers, reviewSearchHandlers } from "../../workers/reviews/consumers.ts";
import { deliveryFulfilmentHandlers } from "../../workers/delivery/consumers.ts";
import { ordersFulfilmentHandlers } from "../../workers/orders/fulfilment.ts";

/** Several families' handler maps as one: handlers of the same type run one after the other, none is dropped. */
export function mergeHandlers(...maps: HandlerMap[]): HandlerMap {
  const out: HandlerMap = {};
  for (const map of maps) for (const [type, handlers] of Object.entries(map)) out[type] = [...(out[type] ?? []), ...handlers];
  return out;
}

export const GROUP_HANDLERS: Record<ConsumerGroupName, HandlerMap> = {
  notifications: notificationHandlers,
  audit: { "*": [(event, { tx }) => appendAuditEntry(tx, event)] },
  // Pipeline: validation, PII scrubbing, statistics and analytics facts for every event.
  // Reviews: the catalogue's rating columns and the order facts behind the verified-purchase mark.
  pipeline: { ...pipelineHandlers, ...reviewPipelineHandlers },
  // Reviews: product ratings for the rating facet and sort (the indexer's applyRating).
  search: { ...searchHandlers, ...reviewSearchHandlers },
  "inventory-projection": { InventoryUpdated: [async (event, { tx }) => void (await projectStockLevel(tx, event))] },
  // Orders (payment settlement, delivery progress) and delivery (shipments for confirmed orders, halts on cancellation).
  fulfilment: mergeHandlers(deliveryFulfilmentHandlers, ordersFulfilmentHandlers),
};
