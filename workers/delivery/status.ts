/**
 * Moving a shipment between statuses, for every source (carrier webhooks,
 * staff, the halt of a cancelled order): always on a row locked FOR UPDATE,
 * with the timeline entry and the events in the same transaction.
 */
import { eq, sql } from "drizzle-orm";
import { shipmentEvents, shipments } from "../../db/schema/delivery.ts";
import { DeliveryCompleted, ShipmentDispatched, ShipmentStatusChanged } from "../../queues/contracts/events/delivery.ts";
import { type EventSink, transactionWithEvents } from "../../queues/outbox/outbox.ts";
import { relayOutbox } from "../../queues/outbox/relay.ts";
import type { Database, Tx } from "../platform/db.ts";
import { ApiError } from "../platform/errors.ts";
import type { Actor } from "../platform/event-envelope.ts";
import { errorFields, log } from "../platform/log.ts";
import { CircuitOpen } from "../platform/resilience/shared-circuit.ts";
import type { Runtime } from "../platform/runtime.ts";
import { eventFrom, type Scope } from "../platform/scope.ts";
import { type CarrierContext, findCarrier, guardedCarrierCall } from "./carrier.ts";
import { DeliveryErrors } from "./errors.ts";
import type { ShipmentRow } from "./queries.ts";
import { eventsFor, hasLeft } from "./transitions.ts";
import type { ShipmentStatus } from "./types.ts";

/** The `source` of every delivery event. */
export const SOURCE = "delivery";
/** The actor of what delivery does on its own (for the order saga, or on an event). */
export const SYSTEM: Actor = { type: "service", id: SOURCE };

export type ChangeSource = "carrier" | "staff" | "system";

/** Where a change is written, and the cause its events name (the request's or the caller's). */
export interface ChangeContext extends Pick<Scope, "correlationId" | "actor"> {
  tx: Tx;
  events: EventSink;
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
export async function moveShipment(
  ctx: ChangeContext,
  row: ShipmentRow,
  to: ShipmentStatus,
  at: Date,
  note: string | null,
  source: ChangeSource,
): Promise<ShipmentRow> {
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
  const who = { shipmentId: row.id, orderId: row.orderId, orderNumber: row.orderNumber, userId: row.userId };
  for (const event of eventsFor(from, to)) {
    if (event === "ShipmentDispatched") {
      await ctx.events.emit(
        ShipmentDispatched,
        eventFrom(ctx, SOURCE, row.id, {
          ...who,
          carrier: row.carrier,
          trackingNumber: row.trackingNumber,
          trackingUrl: row.trackingUrl,
          estimatedDelivery: row.estimatedDelivery,
        }),
      );
    } else {
      await ctx.events.emit(DeliveryCompleted, eventFrom(ctx, SOURCE, row.id, { ...who, deliveredAt: at.toISOString() }));
    }
  }
  await ctx.events.emit(ShipmentStatusChanged, eventFrom(ctx, SOURCE, row.id, { ...who, from, to, at: at.toISOString(), source }));
  return updated!;
}

/** Keeps a late carrier scan in the timeline without touching the status. */
export async function recordLateScan(tx: Tx, row: ShipmentRow, status: ShipmentStatus, at: Date, note: string | null): Promise<void> {
  await tx.insert(shipmentEvents).values({ shipmentId: row.id, status, at, note, source: "carrier", applied: false });
}

export const carrierUnavailable = (err: unknown) => {
  log.warn("delivery.carrier_failed", errorFields(err));
  // While the carrier's circuit is open, nothing is sent to it until its cool-down ends.
  const retryAfter = err instanceof CircuitOpen ? err.retryAfterSeconds : 1;
  return new ApiError(DeliveryErrors.CARRIER_UNAVAILABLE, "The carrier is not available; try again later", {
    headers: { "retry-after": String(retryAfter) },
  });
};

/**
 * Stops a locked shipment that has not left: the carrier voids the label
 * first (while the row is locked, so no dispatch can slip in between), then
 * the shipment is cancelled. Already cancelled: halted. Already left: not.
 */
export async function haltLocked(
  ctx: ChangeContext,
  carrierCtx: CarrierContext,
  row: ShipmentRow,
  note: string,
): Promise<{ halted: boolean; row: ShipmentRow }> {
  if (row.status === "cancelled") return { halted: true, row };
  if (hasLeft(row.status)) return { halted: false, row };
  const carrier = findCarrier(row.carrier);
  try {
    if (!carrier) throw new Error(`unknown carrier ${row.carrier}`);
    await guardedCarrierCall(carrierCtx, "cancel_label", () =>
      carrier.cancel(carrierCtx, { labelId: row.carrierLabelId, trackingNumber: row.trackingNumber, orderId: row.orderId }),
    );
  } catch (err) {
    throw carrierUnavailable(err);
  }
  return { halted: true, row: await moveShipment(ctx, row, "cancelled", carrierCtx.rt.clock.now(), note, "system") };
}

/** How a service call publishes its events: with a request's publishing strategy (a request's `Scope` is such options), or inline. */
export type CallOptions = Partial<Pick<Scope, "afterCommit">>;

/**
 * A transaction with events, published after the commit: through the
 * request's publishing strategy (`Scope.afterCommit`, in the background of
 * the request) when there is one, else before it returns, because other
 * families call the service without a request context to hand background
 * work to; if that relay fails, the outbox sweep publishes the events later.
 */
export async function transactionAndRelay<T>(
  rt: Runtime,
  db: Database,
  fn: (tx: Tx, events: EventSink) => Promise<T>,
  options?: CallOptions,
): Promise<T> {
  if (options?.afterCommit) return transactionWithEvents(db, fn, options.afterCommit);
  let ids: string[] = [];
  const result = await transactionWithEvents(db, fn, (emitted) => {
    ids = emitted;
  });
  if (ids.length > 0) {
    await relayOutbox(db, rt, { ids }).catch((err) => log.warn("delivery.relay_failed", { ...errorFields(err), ids }));
  }
  return result;
}
