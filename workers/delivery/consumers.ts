/**
 * Delivery's handlers in the `fulfilment` consumer group. The order saga
 * halts the shipment itself when it cancels an order; this is the safety net
 * for a cancellation that reached us only as an event (a saga that crashed
 * between its steps, an order cancelled by staff). Halting is idempotent, and
 * a shipment that already left stays as it is (the order's refund path is
 * then the return). Shipments are never created from OrderConfirmed: the
 * saga creates them before it confirms, with the address the event lacks.
 */
import { OrderCancelled } from "../../queues/contracts/events/order.ts";
import type { HandlerMap } from "../../queues/consumers/framework.ts";
import { writeEvent, type EventSink } from "../../queues/outbox/outbox.ts";
import { withDb } from "../platform/db.ts";
import { log } from "../platform/log.ts";
import { haltLocked, lockShipmentOfOrder } from "./status.ts";

export const deliveryFulfilmentHandlers: HandlerMap = {
  OrderCancelled: [
    async (event, { tx, env }) => {
      const { orderId } = OrderCancelled.payload.parse(event.payload);
      const row = await lockShipmentOfOrder(tx, orderId);
      if (!row) return;
      // Events go into the outbox in the consumer's transaction; the relay sweep publishes them.
      const events: EventSink = { emit: (contract, input) => writeEvent(tx, contract, input) };
      // The carrier's fault point needs its own connection: it must not roll back with this transaction.
      const result = await withDb(env, (db) => haltLocked({ tx, events, correlationId: event.correlationId, actor: { type: "service", id: "delivery" } }, { env, db }, row, "halted: order cancelled"));
      if (!result.halted) log.info("delivery.halt_too_late", { orderId, shipmentId: row.id, status: row.status });
    },
  ],
};
