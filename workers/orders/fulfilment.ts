/**
 * The orders family's handlers in the `fulfilment` consumer group: payment
 * settlement wakes an order waiting for it; delivery progress moves a
 * confirmed order to shipped and delivered (OrderCompleted). The order's
 * object makes the change (it is the order's only writer, in its own
 * transaction with the event); each change is idempotent, so a redelivery
 * after the group's transaction rolled back changes nothing twice.
 */
import type { z } from "zod";
import type { HandlerMap } from "../../queues/consumers/framework.ts";
import type { DeliveryCompleted, ShipmentDispatched } from "../../queues/contracts/events/delivery.ts";
import type { PaymentFailed, PaymentProcessed } from "../../queues/contracts/events/payment.ts";
import { orderObject, findOrder } from "./service.ts";

type Payload<C extends { payload: z.ZodType }> = z.output<C["payload"]>;

export const ordersFulfilmentHandlers: HandlerMap = {
  PaymentProcessed: [
    async (event, { tx, env }) => {
      const p = event.payload as Payload<typeof PaymentProcessed>;
      // Only an order waiting for its provider needs waking; the saga itself caused the others.
      if ((await findOrder(tx, p.orderId))?.status === "awaiting_payment") await orderObject(env, p.orderId).poke({ orderId: p.orderId, correlationId: event.correlationId });
    },
  ],
  PaymentFailed: [
    async (event, { tx, env }) => {
      const p = event.payload as Payload<typeof PaymentFailed>;
      if ((await findOrder(tx, p.orderId))?.status === "awaiting_payment") await orderObject(env, p.orderId).poke({ orderId: p.orderId, correlationId: event.correlationId });
    },
  ],
  ShipmentDispatched: [
    async (event, { tx, env }) => {
      const p = event.payload as Payload<typeof ShipmentDispatched>;
      if (await findOrder(tx, p.orderId)) await orderObject(env, p.orderId).shipmentMoved({ orderId: p.orderId, kind: "dispatched", at: event.occurredAt, correlationId: event.correlationId });
    },
  ],
  DeliveryCompleted: [
    async (event, { tx, env }) => {
      const p = event.payload as Payload<typeof DeliveryCompleted>;
      if (await findOrder(tx, p.orderId)) await orderObject(env, p.orderId).shipmentMoved({ orderId: p.orderId, kind: "delivered", at: p.deliveredAt, correlationId: event.correlationId });
    },
  ],
};
