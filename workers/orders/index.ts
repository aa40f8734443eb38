/** Orders: orders from the cart or explicit lines, and the checkout saga driven by one OrderSaga object per order. */

import { OrderErrors, ordersConfig } from "../../durable-objects/order/index.ts";
import { DeliveryCompleted, ShipmentDispatched } from "../../queues/contracts/events/delivery.ts";
import * as orderEvents from "../../queues/contracts/events/order.ts";
import { PaymentFailed, PaymentProcessed } from "../../queues/contracts/events/payment.ts";
import { contractsIn } from "../platform/event-contracts.ts";
import { on } from "../platform/event-handlers.ts";
import { defineFamily } from "../platform/family.ts";
import { deliveryCompleted, paymentSettled, shipmentDispatched } from "./fulfilment.ts";
import { claimGuestOrders } from "./guest-claim.ts";
import { ordersRecovery } from "./recovery-job.ts";
import { ordersRoutes } from "./routes.ts";

export const orders = defineFamily({
  name: "orders",
  schemas: ["orders"],
  config: ordersConfig,
  routes: { "/api/orders": ordersRoutes },
  jobs: [ordersRecovery],
  // Payment settlement and delivery progress carried back to the orders; guest orders claimed by verified accounts.
  handlers: {
    fulfilment: [
      on(PaymentProcessed, paymentSettled),
      on(PaymentFailed, paymentSettled),
      on(ShipmentDispatched, shipmentDispatched),
      on(DeliveryCompleted, deliveryCompleted),
      ...claimGuestOrders,
    ],
  },
  contracts: contractsIn(orderEvents),
  errors: OrderErrors,
});

// What other folders use: the order's object (the Worker exports the class), the order as shown and stored, its
// statuses, and the order id an Idempotency-Key stands for.
// Notifications mail a guest order's messages to the guest's address, with a signed link to the order.
export { isGuestOwner, isSold, loadOrder, OrderSaga, type OrderStatus, type OrderView } from "../../durable-objects/order/index.ts";
export { guestRecipient } from "./guest-recipient.ts";
export { orderIdForKey } from "./idempotency.ts";
