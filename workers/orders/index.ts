/** Orders: orders from the cart or explicit lines, and the checkout saga driven by one OrderSaga object per order. */
import * as orderEvents from "../../queues/contracts/events/order.ts";
import { contractsIn } from "../platform/events/contracts.ts";
import { subscriptionsOf } from "../platform/events/handlers.ts";
import { defineFamily } from "../platform/family.ts";
import { ordersConfig } from "./config.ts";
import { OrderErrors } from "./errors.ts";
import { ordersFulfilmentHandlers } from "./fulfilment.ts";
import { ordersRecovery } from "./recovery-job.ts";
import { ordersRoutes } from "./routes.ts";

export const orders = defineFamily({
  name: "orders",
  config: ordersConfig,
  routes: { "/api/orders": ordersRoutes },
  jobs: [ordersRecovery],
  // Payment settlement and delivery progress carried back to the orders.
  handlers: { fulfilment: subscriptionsOf(ordersFulfilmentHandlers) },
  contracts: contractsIn(orderEvents),
  errors: OrderErrors,
});
