/**
 * The analytics family's entry point for the pipeline: which writes each
 * (validated, scrubbed) event type causes, as CTEs of the pipeline's one
 * statement per event. Types without a loader only count in the pipeline's
 * statistics.
 */
import type { ScrubbedEvent } from "../../pipeline/pii-scrub.ts";
import { inventoryUpdated, lowStockAlert, outOfStock, productDeleted, productSnapshot, productViewed } from "./catalog.ts";
import type { Cte } from "./cte.ts";
import { orderCancelled, orderCompleted, orderConfirmed, orderCreated, returnInitiated } from "./orders.ts";
import { deliveryCompleted, paymentFailed, paymentProcessed, refundIssued, shipmentCreated, shipmentDispatched, shipmentStatusChanged } from "./payments.ts";
import { cartAbandoned, itemAddedToCart, itemRemovedFromCart, userDeleted, userRegistered } from "./shoppers.ts";

export type FactLoader = (event: ScrubbedEvent) => Cte[];

export const FACT_LOADERS: Readonly<Record<string, FactLoader>> = {
  OrderCreated: orderCreated,
  OrderConfirmed: orderConfirmed,
  OrderCompleted: orderCompleted,
  OrderCancelled: orderCancelled,
  ReturnInitiated: returnInitiated,
  PaymentProcessed: paymentProcessed,
  PaymentFailed: paymentFailed,
  RefundIssued: refundIssued,
  ShipmentCreated: shipmentCreated,
  ShipmentDispatched: shipmentDispatched,
  DeliveryCompleted: deliveryCompleted,
  ShipmentStatusChanged: shipmentStatusChanged,
  ProductCreated: productSnapshot,
  ProductUpdated: productSnapshot,
  ProductDeleted: productDeleted,
  ProductViewed: productViewed,
  InventoryUpdated: inventoryUpdated,
  LowStockAlert: lowStockAlert,
  OutOfStock: outOfStock,
  UserRegistered: userRegistered,
  UserDeleted: userDeleted,
  ItemAddedToCart: itemAddedToCart,
  ItemRemovedFromCart: itemRemovedFromCart,
  CartAbandoned: cartAbandoned,
};

/** Only version 1 of each contract is loaded; a new version needs its loader (until then it is counted, not loaded). */
export function factCtes(event: ScrubbedEvent): Cte[] {
  if (event.version !== 1) return [];
  return FACT_LOADERS[event.type]?.(event) ?? [];
}

export { composeStatement, type Cte } from "./cte.ts";
