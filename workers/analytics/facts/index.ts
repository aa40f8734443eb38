/**
 * The analytics family's fact loaders, handed to the pipeline by the
 * composition root: which writes each (validated, scrubbed) event causes, as
 * CTEs of the pipeline's one statement per event. Each is built with its
 * contract, so it reads the payload with the contract's types, and loads that
 * contract's version only (version 1 of each: a new version needs its loader,
 * and until then it is counted, not loaded). Types without a loader only
 * count in the pipeline's statistics.
 */
import { CartAbandoned, CartRecovered, ItemAddedToCart, ItemRemovedFromCart } from "../../../queues/contracts/events/cart.ts";
import {
  DeliveryCompleted,
  ShipmentCreated,
  ShipmentDispatched,
  ShipmentStatusChanged,
} from "../../../queues/contracts/events/delivery.ts";
import { InventoryUpdated, LowStockAlert, OutOfStock } from "../../../queues/contracts/events/inventory.ts";
import { OrderCancelled, OrderCompleted, OrderConfirmed, OrderCreated, ReturnInitiated } from "../../../queues/contracts/events/order.ts";
import { PaymentFailed, PaymentProcessed, RefundIssued } from "../../../queues/contracts/events/payment.ts";
import { ProductCreated, ProductDeleted, ProductUpdated, ProductViewed } from "../../../queues/contracts/events/product.ts";
import { UserDeleted, UserRegistered } from "../../../queues/contracts/events/user.ts";
import { type FactLoader, factLoader } from "../../pipeline/index.ts";
import { inventoryUpdated, lowStockAlert, outOfStock, productDeleted, productSnapshot, productViewed } from "./catalog.ts";
import { orderCancelled, orderCompleted, orderConfirmed, orderCreated, returnInitiated } from "./orders.ts";
import {
  deliveryCompleted,
  paymentFailed,
  paymentProcessed,
  refundIssued,
  shipmentCreated,
  shipmentDispatched,
  shipmentStatusChanged,
} from "./payments.ts";
import { cartAbandoned, cartRecovered, itemAddedToCart, itemRemovedFromCart, userDeleted, userRegistered } from "./shoppers.ts";

export const analyticsFactLoaders: readonly FactLoader[] = [
  factLoader(OrderCreated, orderCreated),
  factLoader(OrderConfirmed, orderConfirmed),
  factLoader(OrderCompleted, orderCompleted),
  factLoader(OrderCancelled, orderCancelled),
  factLoader(ReturnInitiated, returnInitiated),
  factLoader(PaymentProcessed, paymentProcessed),
  factLoader(PaymentFailed, paymentFailed),
  factLoader(RefundIssued, refundIssued),
  factLoader(ShipmentCreated, shipmentCreated),
  factLoader(ShipmentDispatched, shipmentDispatched),
  factLoader(DeliveryCompleted, deliveryCompleted),
  factLoader(ShipmentStatusChanged, shipmentStatusChanged),
  factLoader(ProductCreated, productSnapshot),
  factLoader(ProductUpdated, productSnapshot),
  factLoader(ProductDeleted, productDeleted),
  factLoader(ProductViewed, productViewed),
  factLoader(InventoryUpdated, inventoryUpdated),
  factLoader(LowStockAlert, lowStockAlert),
  factLoader(OutOfStock, outOfStock),
  factLoader(UserRegistered, userRegistered),
  factLoader(UserDeleted, userDeleted),
  factLoader(ItemAddedToCart, itemAddedToCart),
  factLoader(ItemRemovedFromCart, itemRemovedFromCart),
  factLoader(CartAbandoned, cartAbandoned),
  factLoader(CartRecovered, cartRecovered),
];
