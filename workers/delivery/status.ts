/**
 * Moving a shipment between statuses, for every source (carrier webhooks,
 * staff, the halt of a cancelled order): always on a row locked FOR UPDATE,
 * with the timeline entry and the events in the same transaction.
 */
import { eq, sql } from "drizzle-orm";
import { shipmentEvents, shipments } from "../../db/schema/delivery.ts";
import { DeliveryCompleted, ShipmentDispatched, ShipmentStatusChanged } from "../../queues/contracts/events/delivery.ts";
import type { Actor } from "../platform/events/envelope.ts";
import { relayOutbox } from "../../queues/outbox/relay.ts";
import { transactionWithEvents, type EventSink } from "../../queues/outbox/outbox.ts";
import type { Database, Tx } from "../platform/db.ts";
import type { Env } from "../platform/env.ts";
import { ApiError } from "../platform/errors.ts";
import { errorFields, log } from "../platform/log.ts";
import { findCarrier, type CarrierContext } from "./carrier.ts";
import type { ShipmentRow } from "./queries.ts";
import { eventsFor, hasLeft } from "./transitions.ts";
import type { ShipmentStatus } from "./types.ts";
import { DeliveryErrors } from "./errors.ts";

export type ChangeSource = "carrier" | "staff" | "system";

export interface ChangeContext {
  tx: Tx;
  events: EventSink;
  correlationId: string;
  actor: Actor | null;
}

export async function lockShipment(tx: Tx, id: string): Promise<ShipmentRow | undefined> {
  const [row] = await tx.select().from(shipments).where(eq(shipments.id, id)).for("update");
  return row;
}

export async function lockShipmentOfOrder(tx: Tx, orderId: string): Promise<ShipmentRow | undefined> {
  const [row] = await tx.select().from(shipments).where(eq(shipments.orderId, orderId)).for("update");
  return row;
}

/** Applies a move the caller has already checked against the state machine. */
export async function moveShipment(ctx: ChangeContext, row: ShipmentRow, to: ShipmentStatus, at: Date, note: string | null, source: ChangeSource): Promise<ShipmentRow> {
  const from = row.status;
  const leaving = !hasLeft(from) && hasLeft(to);
  const [updated] = await ctx.tx
    .update(shipments)
    .set({
      status: to,
      statusAt: at,
      dispatchedAt: leaving ? at : row.dispatchedAt,
      deliveredAt: to === "delivered" ? at : row.deliveredAt,
      version: sql`${shipments.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(shipments.id, row.id))
    .returning();
  await ctx.tx.insert(shipmentEvents).values({ shipmentId: row.id, status: to, at, note, source, applied: true });
  const meta = { subjectId: row.id, source: "delivery", correlationId: ctx.correlationId, actor: ctx.actor };
  const who = { shipmentId: row.id, orderId: row.orderId, orderNumber: row.orderNumber, userId: row.userId };
  for (const event of eventsFor(from, to)) {
    if (event === "ShipmentDispatched") {
      await ctx.events.emit(ShipmentDispatched, { ...meta, payload: { ...who, carrier: row.carrier, trackingNumber: row.trackingNumber, trackingUrl: row.trackingUrl, estimatedDelivery: row.estimatedDelivery } });
    } else {
      await ctx.events.emit(DeliveryCompleted, { ...meta, payload: { ...who, deliveredAt: at.toISOString() } });
    }
  }
  await ctx.events.emit(ShipmentStatusChanged, { ...meta, payload: { ...who, from, to, at: at.toISOString(), source } });
  return updated!;
}

/** Keeps a late carrier scan in the timeline without touching the status. */
export async function recordLateScan(tx: Tx, row: ShipmentRow, status: ShipmentStatus, at: Date, note: string | null): Promise<void> {
  await tx.insert(shipmentEvents).values({ shipmentId: row.id, status, at, note, source: "carrier", applied: false });
}

export const carrierUnavailable = (err: unknown) => {
  log.warn("delivery.carrier_failed", errorFields(err));
  return new ApiError(DeliveryErrors.CARRIER_UNAVAILABLE, "The carrier is not available; try again later", { headers: { "retry-after": "1" } });
};

/**
 * Stops a locked shipment that has not left: the carrier voids the label
 * first (while the row is locked, so no dispatch can slip in between), then
 * the shipment is cancelled. Already cancelled: halted. Already left: not.
 */
export async function haltLocked(ctx: ChangeContext, carrierCtx: CarrierContext, row: ShipmentRow, note: string): Promise<{ halted: boolean; row: ShipmentRow }> {
  if (row.status === "cancelled") return { halted: true, row };
  if (hasLeft(row.status)) return { halted: false, row };
  const carrier = findCarrier(row.carrier);
  try {
    if (!carrier) throw new Error(`unknown carrier ${row.carrier}`);
    await carrier.cancel(carrierCtx, { labelId: row.carrierLabelId, trackingNumber: row.trackingNumber, orderId: row.orderId });
  } catch (err) {
    throw carrierUnavailable(err);
  }
  return { halted: true, row: await moveShipment(ctx, row, "cancelled", new Date(), note, "system") };
}

/**
 * A transaction with events whose events are published before it returns.
 * Other families call the service without a request context to hand
 * background work to, so the relay runs inline; if it fails, the outbox
 * sweep publishes the events later.
 */
export async function transactionAndRelay<T>(env: Env, db: Database, fn: (tx: Tx, events: EventSink) => Promise<T>): Promise<T> {
  let ids: string[] = [];
  const result = await transactionWithEvents(db, fn, (emitted) => {
    ids = emitted;
  });
  if (ids.length > 0) {
    await relayOutbox(db, env, { ids }).catch((err) => log.warn("delivery.relay_failed", { ...errorFields(err), ids }));
  }
  return result;
}
