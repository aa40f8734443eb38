/** Delivery: address validation, shipments, carrier webhooks, public tracking and returns. */
import * as deliveryEvents from "../../queues/contracts/events/delivery.ts";
import { OrderCancelled } from "../../queues/contracts/events/order.ts";
import { contractsIn } from "../platform/event-contracts.ts";
import { on } from "../platform/event-handlers.ts";
import { defineFamily } from "../platform/family.ts";
import { deliveryConfig } from "./config.ts";
import { haltCancelledOrder } from "./consumers.ts";
import { DeliveryErrors } from "./errors.ts";
import { deliveryReturnsResume } from "./jobs.ts";
import { deliveryRoutes } from "./routes.ts";

export const delivery = defineFamily({
  name: "delivery",
  schemas: ["delivery"],
  config: deliveryConfig,
  routes: { "/api/delivery": deliveryRoutes },
  jobs: [deliveryReturnsResume],
  // Halts on cancellation (shipments for confirmed orders are created by the order saga).
  handlers: {
    fulfilment: [on(OrderCancelled, (event, ctx) => haltCancelledOrder(ctx, event.payload.orderId, event.correlationId))],
  },
  contracts: contractsIn(deliveryEvents),
  errors: DeliveryErrors,
});

// What other families (orders) and the checkout tests use: addresses, and the shipment service and its view.
export { type ShippingAddress, ShippingAddressSchema, validateAddress } from "./address.ts";
export { createShipmentForOrder, haltShipmentForOrder, type ShipmentView, shipmentForOrder } from "./service.ts";
