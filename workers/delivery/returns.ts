/**
 * Returns (RMAs): opened by the order's owner after delivery and within the
 * window, received and inspected by staff, then restocked through the
 * inventory objects and refunded through payments. The inspection is saved
 * before anything leaves the family; restocking and the refund use keys
 * derived from the return (`return:<id>:<sku>`, `return:<id>`), so calling
 * inspect again after a failure finishes the job without doing any of it twice.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { returnLines, returns } from "../../db/schema/delivery.ts";
import { ReturnInitiated } from "../../queues/contracts/events/order.ts";
import { receiveReturn as restockReturn } from "../inventory/index.ts";
import { paymentsForOrder, refundPayment } from "../payments/index.ts";
import { hasRole } from "../platform/auth.ts";
import type { Principal } from "../platform/context.ts";
import type { Database, Queryable } from "../platform/db.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import type { Actor } from "../platform/event-envelope.ts";
import { newId } from "../platform/ids.ts";
import type { Runtime } from "../platform/runtime.ts";
import { actorOf, eventFrom } from "../platform/scope.ts";
import { deliveryConfig } from "./config.ts";
import { DeliveryErrors } from "./errors.ts";
import { shipmentRowById, shipmentRowByOrder } from "./queries.ts";
import { getReturn, type ReturnReason, type ReturnView } from "./return-queries.ts";
import {
  checkInspection,
  checkReturnLines,
  claimedUnits,
  type InspectedLine,
  isWithinWindow,
  type ReturnStatus,
  refundFor,
  returnByDate,
  rmaNumberOf,
  sameInspection,
  windowEndsAt,
} from "./returns-rules.ts";
import { type CallOptions, lockShipment, SOURCE, transactionAndRelay } from "./status.ts";

export interface CreateReturnInput {
  orderId: string;
  reason: ReturnReason;
  note: string | null;
  lines: { sku: string; quantity: number }[];
  correlationId: string;
}

export async function createReturn(
  rt: Runtime,
  db: Database,
  input: CreateReturnInput,
  principal: Principal,
  options?: CallOptions,
): Promise<ReturnView> {
  const id = newId("ret");
  const now = rt.clock.now();
  await transactionAndRelay(
    rt,
    db,
    async (tx, events) => {
      const found = await shipmentRowByOrder(tx, input.orderId);
      // Only the owner (or an administrator acting for them) may return; anyone else learns nothing about the order.
      if (!found || (found.userId !== principal.id && !hasRole(principal, "admin"))) throw notFound("order");
      // The lock serialises returns of one shipment, so two at once cannot both claim the last units.
      const shipment = (await lockShipment(tx, found.id))!;
      if (shipment.status !== "delivered" || !shipment.deliveredAt)
        throw new ApiError(DeliveryErrors.ORDER_NOT_DELIVERED, `The order has not been delivered (shipment ${shipment.status})`);
      const windowDays = deliveryConfig.read(rt).RETURN_WINDOW_DAYS;
      if (!isWithinWindow(shipment.deliveredAt, windowDays, now)) {
        throw new ApiError(DeliveryErrors.RETURN_WINDOW_CLOSED, `Returns close ${windowDays} days after delivery`, {
          windowEndedAt: windowEndsAt(shipment.deliveredAt, windowDays).toISOString(),
        });
      }
      const previous = await tx
        .select({ status: returns.status, sku: returnLines.sku, quantity: returnLines.quantity })
        .from(returnLines)
        .innerJoin(returns, eq(returns.id, returnLines.returnId))
        .where(eq(returns.shipmentId, shipment.id));
      const checked = checkReturnLines(shipment.lines, claimedUnits(previous), input.lines);
      if (!checked.ok) throw new ApiError(checked.error, checked.errors[0]!.message, { errors: checked.errors });

      const returnBy = returnByDate(now);
      await tx.insert(returns).values({
        id,
        rmaNumber: rmaNumberOf(id),
        shipmentId: shipment.id,
        orderId: shipment.orderId,
        orderNumber: shipment.orderNumber,
        userId: shipment.userId,
        status: "initiated",
        reason: input.reason,
        note: input.note,
        currency: shipment.currency,
        returnBy,
      });
      await tx.insert(returnLines).values(
        checked.lines.map((l) => ({
          returnId: id,
          sku: l.sku,
          productId: l.productId,
          name: l.name,
          quantity: l.quantity,
          unitPaidMinor: l.unitPaidMinor,
        })),
      );
      await events.emit(
        ReturnInitiated,
        eventFrom({ correlationId: input.correlationId, actor: actorOf(principal) }, SOURCE, shipment.orderId, {
          returnId: id,
          orderId: shipment.orderId,
          orderNumber: shipment.orderNumber,
          userId: shipment.userId,
          reason: input.reason,
          itemCount: checked.lines.reduce((n, l) => n + l.quantity, 0),
          returnBy,
        }),
      );
    },
    options,
  );
  return (await getReturn(db, id))!;
}

async function lockReturn(tx: Queryable, id: string) {
  const [row] = await tx.select().from(returns).where(eq(returns.id, id)).for("update");
  if (!row) throw notFound("return");
  return row;
}

/** The parcel arrived at the warehouse. Idempotent: a return already received (or further) is returned as is. */
export async function markReturnReceived(db: Database, id: string): Promise<ReturnView> {
  await db.transaction(async (tx) => {
    const row = await lockReturn(tx, id);
    if (row.status !== "initiated") return;
    await tx.update(returns).set({ status: "received", receivedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(returns.id, id));
  });
  return (await getReturn(db, id))!;
}

function inspected(lines: ReturnView["lines"]): InspectedLine[] {
  return lines.map((l) => ({
    sku: l.sku,
    quantity: l.quantity,
    unitPaidMinor: l.unitPaidMinor,
    acceptedQuantity: l.acceptedQuantity ?? 0,
  }));
}

/**
 * Records the inspection, restocks what was accepted and refunds it. A
 * retry with the same quantities resumes where a failure stopped (restock
 * and refund are idempotent on keys derived from the return); different
 * quantities after the inspection was recorded are a 409.
 */
export async function inspectReturn(
  rt: Runtime,
  db: Database,
  input: { returnId: string; lines?: { sku: string; acceptedQuantity: number }[]; note: string | null; correlationId: string },
  actor: Actor,
): Promise<ReturnView> {
  const recorded = await db.transaction(async (tx) => {
    const row = await lockReturn(tx, input.returnId);
    if (row.status === "initiated") throw new ApiError(DeliveryErrors.RETURN_STATE_CONFLICT, "The return has not been received yet");
    const view = (await getReturn(tx, row.id))!;
    const checked = checkInspection(view.lines, input.lines);
    if (!checked.ok) throw new ApiError(ErrorCode.VALIDATION_FAILED, checked.errors[0]!.message, { errors: checked.errors });
    if (row.status !== "received") {
      if (!sameInspection(inspected(view.lines), checked.lines))
        throw new ApiError(DeliveryErrors.RETURN_STATE_CONFLICT, `The return was already inspected (${row.status}) with other quantities`);
      return view;
    }
    const refundMinor = refundFor(checked.lines);
    for (const l of checked.lines) {
      await tx
        .update(returnLines)
        .set({ acceptedQuantity: l.acceptedQuantity })
        .where(and(eq(returnLines.returnId, row.id), eq(returnLines.sku, l.sku)));
    }
    // Nothing accepted: nothing to restock or refund, the return ends here.
    const status: ReturnStatus = refundMinor === 0 && checked.lines.every((l) => l.acceptedQuantity === 0) ? "rejected" : "inspected";
    await tx
      .update(returns)
      .set({
        status,
        refundMinor,
        inspectionNote: input.note,
        inspectedAt: sql`now()`,
        closedAt: status === "rejected" ? sql`now()` : null,
        updatedAt: sql`now()`,
      })
      .where(eq(returns.id, row.id));
    return (await getReturn(tx, row.id))!;
  });
  if (recorded.status !== "inspected") return recorded;
  return finishReturn(rt, db, recorded, actor, input.correlationId);
}

/** Restock and refund of an inspected return; every step is safe to repeat. */
export async function finishReturn(rt: Runtime, db: Database, view: ReturnView, actor: Actor, correlationId: string): Promise<ReturnView> {
  for (const line of view.lines) {
    if (!line.acceptedQuantity) continue;
    await restockReturn(rt, {
      sku: line.sku,
      quantity: line.acceptedQuantity,
      operationId: `return:${view.id}:${line.sku}`,
      actor,
      reason: `return ${view.rmaNumber}`,
      correlationId,
    });
  }
  let refundId: string | null = null;
  if (view.refundMinor && view.refundMinor > 0) {
    const payment = await refundablePayment(db, view.orderId, view.shipmentId);
    const refund = await refundPayment(rt, db, {
      paymentId: payment.id,
      amountMinor: view.refundMinor,
      reason: "return_received",
      idempotencyKey: `return:${view.id}`,
      correlationId,
    });
    refundId = refund.id;
  }
  await db
    .update(returns)
    .set({ status: "refunded", refundId, closedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(returns.id, view.id), inArray(returns.status, ["inspected"])));
  return (await getReturn(db, view.id))!;
}

/** The order's captured payment with money left to refund; the one the shipment was paid with first. */
async function refundablePayment(db: Database, orderId: string, shipmentId: string) {
  const payments = await paymentsForOrder(db, orderId);
  const shipment = await shipmentRowById(db, shipmentId);
  const candidates = payments.filter((p) => p.capturedMinor - p.refundedMinor > 0);
  const payment = candidates.find((p) => p.id === shipment?.paymentId) ?? candidates[0];
  if (!payment) throw new ApiError(DeliveryErrors.NO_REFUNDABLE_PAYMENT, "The order has no captured payment left to refund");
  return payment;
}
