/**
 * Delivery's handlers in the `fulfilment` consumer group (subscribed in
 * index.ts). The order saga halts the shipment itself when it cancels an
 * order; this is the safety net for a cancellation that reached us only as
 * an event (a saga that crashed between its steps, an order cancelled by
 * staff). Halting is idempotent, and a shipment that already left stays as
 * it is (the order's refund path is then the return). Shipments are never
 * created from OrderConfirmed: the saga creates them before it confirms,
 * with the address the event lacks.
 */
import { type EventSink, writeEvent } from "../../queues/outbox/outbox.ts";
import { withDb } from "../platform/db.ts";
import type { HandlerContext } from "../platform/event-handlers.ts";
import { log } from "../platform/log.ts";
import { haltLocked, lockShipmentOfOrder, SYSTEM } from "./status.ts";

/** Halts the shipment of a cancelled order, if it has one that has not left. */
export async function haltCancelledOrder({ tx, rt }: HandlerContext, orderId: string, correlationId: string): Promise<void> {
  const row = await lockShipmentOfOrder(tx, orderId);
  if (!row) return;
  // Events go into the outbox in the consumer's transaction; the relay sweep publishes them.
  const events: EventSink = { emit: (contract, input) => writeEvent(tx, contract, input) };
  // The carrier's fault point needs its own connection: it must not roll back with this transaction.
  const result = await withDb(rt, (db) =>
    haltLocked({ tx, events, correlationId, actor: SYSTEM }, { rt, db }, row, "halted: order cancelled"),
  );
  if (!result.halted) log.info("delivery.halt_too_late", { orderId, shipmentId: row.id, status: row.status });
}
