/**
 * The orders family's handlers in the `fulfilment` consumer group (listed
 * with their contracts in index.ts): payment settlement wakes an order
 * waiting for it; delivery progress moves a confirmed order to shipped and
 * delivered (OrderCompleted). The order's object makes the change (it is the
 * order's only writer, in its own transaction with the event); each change
 * is idempotent, so a redelivery after the group's transaction rolled back
 * changes nothing twice.
 */
import type { Queryable } from "../platform/db.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import type { HandlerContext } from "../platform/event-handlers.ts";
import { findOrder, orderObject, traceOf } from "./service.ts";

/**
 * Only an order waiting for its provider needs waking; the other payment
 * events were caused by the saga itself. (A settlement that overtakes the
 * order's own move to awaiting_payment is caught by the saga, which looks at
 * the payment again once that move is committed.)
 */
async function mayBeWaiting(tx: Queryable, orderId: string): Promise<boolean> {
  return (await findOrder(tx, orderId))?.status === "awaiting_payment";
}

/** PaymentProcessed, PaymentFailed: the order waiting for the payment looks at it again. */
export async function paymentSettled(event: Envelope<{ orderId: string }>, { tx, rt }: HandlerContext): Promise<void> {
  const { orderId } = event.payload;
  if (await mayBeWaiting(tx, orderId))
    await orderObject(rt, orderId).poke({ orderId, correlationId: event.correlationId, ...traceOf(event.traceparent) });
}

/** ShipmentDispatched: the confirmed order is shipped. */
export async function shipmentDispatched(event: Envelope<{ orderId: string }>, { tx, rt }: HandlerContext): Promise<void> {
  const { orderId } = event.payload;
  if (await findOrder(tx, orderId))
    await orderObject(rt, orderId).shipmentMoved({
      orderId,
      kind: "dispatched",
      at: event.occurredAt,
      correlationId: event.correlationId,
      ...traceOf(event.traceparent),
    });
}

/** DeliveryCompleted: the shipped order is delivered. */
export async function deliveryCompleted(
  event: Envelope<{ orderId: string; deliveredAt: string }>,
  { tx, rt }: HandlerContext,
): Promise<void> {
  const { orderId, deliveredAt } = event.payload;
  if (await findOrder(tx, orderId))
    await orderObject(rt, orderId).shipmentMoved({
      orderId,
      kind: "delivered",
      at: deliveredAt,
      correlationId: event.correlationId,
      ...traceOf(event.traceparent),
    });
}
