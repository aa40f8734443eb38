/** Delivery: address validation, shipments, carrier webhooks, public tracking and returns. */
import * as deliveryEvents from "../../queues/contracts/events/delivery.ts";
import { contractsIn } from "../platform/events/contracts.ts";
import { subscriptionsOf } from "../platform/events/handlers.ts";
import { defineFamily } from "../platform/family.ts";
import { deliveryConfig } from "./config.ts";
import { deliveryFulfilmentHandlers } from "./consumers.ts";
import { DeliveryErrors } from "./errors.ts";
import { deliveryReturnsResume } from "./jobs.ts";
import { deliveryRoutes } from "./routes.ts";

export const delivery = defineFamily({
  name: "delivery",
  config: deliveryConfig,
  routes: { "/api/delivery": deliveryRoutes },
  jobs: [deliveryReturnsResume],
  // Shipments for confirmed orders, halts on cancellation.
  handlers: { fulfilment: subscriptionsOf(deliveryFulfilmentHandlers) },
  contracts: contractsIn(deliveryEvents),
  errors: DeliveryErrors,
});
