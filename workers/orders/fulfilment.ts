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
import type { Queryable } from "../platform/db.ts";
import { findOrder, orderObject } from "./service.ts";

type Payload<C extends { payload: z.ZodType }> = z.output<C["payload"]>;

/**
 * Only an order waiting for its provider needs waking; the other payment
 * events were caused by the saga itself. (A settlement that overtakes the
 * order's own move to awaiting_payment is caught by the saga, which looks at
 * the payment again once that move is committed.)
 */
async function mayBeWaiting(tx: Queryable, orderId: string): Promise<boolean> {
  return (await findOrder(tx, orderId))?.status === "awaiting_payment";
}

export const ordersFulfilmentHandlers: HandlerMap = {
  PaymentProcessed: [
    async (event, { tx, env }) => {
      const p = event.payload as Payload<typeof PaymentProcessed>;
      if (await mayBeWaiting(tx, p.orderId)) await orderObject(env, p.orderId).poke({ orderId: p.orderId, correlationId: event.correlationId });
    },
  ],
  PaymentFailed: [
    async (event, { tx, env }) => {
      const p = event.payload as Payload<typeof PaymentFailed>;
      if (await mayBeWaiting(tx, p.orderId)) await orderObject(env, p.orderId).poke({ orderId: p.orderId, correlationId: event.correlationId });
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
