/**
 * The `recommendations` consumer group: product and inventory events keep
 * the catalogue projection current; views, cart adds, orders and reviews
 * become signals and update the co-purchase and trending tables. Each
 * handler runs in the framework's transaction, which records the event as
 * processed for the group, so a redelivered event has no second effect.
 */

import { ItemAddedToCart } from "../../queues/contracts/events/cart.ts";
import { InventoryUpdated } from "../../queues/contracts/events/inventory.ts";
import { OrderCancelled, OrderConfirmed, OrderCreated, ReturnInitiated } from "../../queues/contracts/events/order.ts";
import { ProductCreated, ProductDeleted, ProductUpdated, ProductViewed } from "../../queues/contracts/events/product.ts";
import { ReviewCreated } from "../../queues/contracts/events/review.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import { on } from "../platform/event-handlers.ts";
import { applyItem, applyItemDeletion, applySkuStock, productByRef, productBySku } from "./catalog-projection.ts";
import { attributeConversions } from "./experiment-outcomes.ts";
import { addPurchase, recordSignal, removePurchase } from "./model-updates.ts";
import { confirmLines, recordOrderLines, takeBackLines } from "./order-lines.ts";
import { reviewWeight, SIGNAL_WEIGHTS } from "./scoring.ts";

const userOf = (event: Envelope) => (event.actor?.type === "user" ? event.actor.id : null);

export const recommendationHandlers = [
  on(ProductCreated, (event, { tx }) => applyItem(tx, event.payload.product)),
  on(ProductUpdated, (event, { tx }) => applyItem(tx, event.payload.product)),
  on(ProductDeleted, (event, { tx }) => applyItemDeletion(tx, event.payload)),
  on(InventoryUpdated, (event, { tx }) => applySkuStock(tx, event.payload)),

  on(ProductViewed, async (event, { tx }) => {
    const productId = await productByRef(tx, event.payload.productRef);
    if (!productId) return;
    // A sampled view stands for 1/sampleRate views.
    const weight = SIGNAL_WEIGHTS.view / event.payload.sampleRate;
    await recordSignal(tx, { id: event.id, userId: event.payload.userId, productId, kind: "view", weight, occurredAt: event.occurredAt });
  }),

  on(ItemAddedToCart, async (event, { tx }) => {
    if (event.payload.via === "merge") return; // lines moved from a guest cart were counted when they were added
    const productId = await productBySku(tx, event.payload.sku);
    if (!productId) return;
    await recordSignal(tx, {
      id: event.id,
      userId: userOf(event),
      productId,
      kind: "cart",
      weight: SIGNAL_WEIGHTS.cart,
      occurredAt: event.occurredAt,
    });
  }),

  on(ReviewCreated, async (event, { tx }) => {
    const weight = reviewWeight(event.payload.rating);
    if (weight === 0) return;
    const p = event.payload;
    await recordSignal(tx, {
      id: event.id,
      userId: p.authorId,
      productId: p.productId,
      kind: "review",
      weight,
      occurredAt: event.occurredAt,
    });
  }),

  on(OrderCreated, (event, { tx }) => recordOrderLines(tx, event.payload, event.occurredAt)),

  on(OrderConfirmed, async (event, { tx }) => {
    const lines = await confirmLines(tx, event.payload.orderId);
    for (const line of lines) {
      const signal = { userId: line.userId, productId: line.productId, occurredAt: event.occurredAt };
      await recordSignal(tx, { ...signal, id: `${event.id}:${line.productId}`, kind: "purchase", weight: SIGNAL_WEIGHTS.purchase });
      await addPurchase(tx, line.userId, line.productId, event.occurredAt);
    }
    await attributeConversions(tx, event.payload.orderId, event.payload.userId, lines, event.occurredAt);
  }),

  on(OrderCancelled, (event, { tx }) => takeBack(tx, event, "cancelled")),
  on(ReturnInitiated, (event, { tx }) => takeBack(tx, event, "returned")),
];

/** A cancellation or a return counts against what was bought (a return names no lines, so it takes back the whole order). */
async function takeBack(tx: Parameters<typeof recordSignal>[0], event: Envelope<{ orderId: string }>, state: "cancelled" | "returned") {
  const kind = state === "cancelled" ? "cancel" : "return";
  for (const line of await takeBackLines(tx, event.payload.orderId, state)) {
    await recordSignal(tx, {
      id: `${event.id}:${line.productId}`,
      userId: line.userId,
      productId: line.productId,
      kind,
      weight: SIGNAL_WEIGHTS[kind],
      occurredAt: event.occurredAt,
    });
    await removePurchase(tx, line.userId, line.productId);
  }
}
