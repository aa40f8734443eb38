/**
 * The handlers of each consumer group. Families add theirs here as they
 * subscribe to events; a group without a handler for a type acknowledges it.
 */
import { recordEventStat } from "../../workers/pipeline/event-stats.ts";
import type { ConsumerGroupName } from "../routing.ts";
import type { HandlerMap } from "./framework.ts";
import { projectStockLevel } from "../../workers/inventory/projection.ts";
import { appendAuditEntry } from "../../workers/audit/append.ts";
import { searchHandlers } from "../../workers/search/handlers.ts";
import { notificationHandlers } from "../../workers/notifications/consumer.ts";
import { reviewPipelineHandlers, reviewSearchHandlers } from "../../workers/reviews/consumers.ts";

export const GROUP_HANDLERS: Record<ConsumerGroupName, HandlerMap> = {
  notifications: notificationHandlers,
  audit: { "*": [(event, { tx }) => appendAuditEntry(tx, event)] },
  // Reviews: the catalogue's rating columns and the order facts behind the verified-purchase mark.
  pipeline: { "*": [(event, { tx }) => recordEventStat(tx, event)], ...reviewPipelineHandlers },
  // Reviews: product ratings for the rating facet and sort (the indexer's applyRating).
  search: { ...searchHandlers, ...reviewSearchHandlers },
  "inventory-projection": { InventoryUpdated: [async (event, { tx }) => void (await projectStockLevel(tx, event))] },
  // Orders (payment settlement, delivery progress) and delivery (shipments for confirmed orders, halts on cancellation).
  fulfilment: {},
};
