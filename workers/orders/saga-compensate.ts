/**
 * The saga going backward, and the other ways an order moves after it was
 * confirmed. Compensation stops the shipment, gives the stock back (returns
 * the units a commit sold, or releases the hold), then gives the money back
 * (refunds what was captured, or voids an authorisation), each decided from
 * what inventory and payments report now and keyed by the order, so running
 * it twice is harmless. It never gives up: a dependency that fails is tried
 * again later, and the order stays `cancelling` (visible) until it is done.
 */
import { OrderCancelled, OrderCompleted } from "../../queues/contracts/events/order.ts";
import { haltShipmentForOrder } from "../delivery/service.ts";
import { commitReservation, getReservation, receiveReturn, releaseReservation } from "../inventory/service.ts";
import { ApiError } from "../platform/errors.ts";
import { log } from "../platform/log.ts";
import { refundPayment, voidPayment } from "../payments/service.ts";
import type { CancelReason } from "./saga-forward.ts";
import { crashPoint, describe, keysOf, move, ownerOf, patch, paymentOf, planRetry, stepFinished, stepStarted, type Run } from "./saga-run.ts";
import { isDone, moneyCompensation, stockCompensation, wasAttempted } from "./saga-rules.ts";
import { stateConflict } from "./state.ts";
import { ErrorCode } from "../platform/errors.ts";
import { OrderErrors } from "./errors.ts";

export const ORDER_ALREADY_SHIPPED = "ORDER_ALREADY_SHIPPED";
const alreadyShipped = () => new ApiError(OrderErrors.ORDER_ALREADY_SHIPPED, "The order's shipment has left the warehouse and can no longer be stopped; start a return once it arrives (POST /api/delivery/returns)");

/** Starts compensating (the order becomes `cancelling` with its reason) and runs the compensations. */
export async function compensate(run: Run, reason: CancelReason, note: string, actor?: string): Promise<void> {
  if (run.b.order.status !== "cancelling") await move(run, "cancelling", { note, actor, patch: { cancelReason: reason, retries: 0, retryAt: null } });
  return compensations(run);
}

/** Runs what is left of the compensations; a failing dependency schedules another attempt. */
export async function compensations(run: Run): Promise<void> {
  if (run.b.order.retryAt !== null) await patch(run, { retryAt: null });
  try {
    await haltShipment(run);
    await returnStock(run);
    await returnMoney(run);
  } catch (err) {
    if (err instanceof CompensationPending) {
      log.warn("orders.compensation_retry", { orderId: run.b.order.id, step: err.step, error: err.message });
      return planRetry(run);
    }
    throw err;
  }
  const o = run.b.order;
  const refundMinor = Number(run.b.log.refunded?.state === "done" ? (run.b.log.refunded.result?.amountMinor ?? 0) : 0);
  await move(run, "cancelled", {
    note: refundMinor > 0 ? `refunded ${refundMinor} ${o.currency}` : "nothing was charged",
    patch: { refundMinor, retries: 0, retryAt: null },
    emit: { contract: OrderCancelled, payload: { orderId: o.id, orderNumber: o.number, userId: o.userId, reason: (o.cancelReason ?? "merchant") as CancelReason, refundMinor, currency: o.currency } },
  });
}

class CompensationPending extends Error {
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super(describe(cause));
  }
}

/** Runs a compensation's call; any failure means "try again later" (the call is idempotent). */
async function attempt<T>(step: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new CompensationPending(step, err);
  }
}

async function haltShipment(run: Run): Promise<void> {
  if (!wasAttempted(run.b.log, "shipment_created") || isDone(run.b.log, "shipment_halted") || run.b.log.shipment_halted?.state === "failed") return;
  await stepStarted(run, "shipment_halted");
  const r = await attempt("shipment_halted", () => haltShipmentForOrder(run.env, run.db, { orderId: run.b.order.id, correlationId: run.correlationId }));
  if (r.halted) await stepFinished(run, "shipment_halted", "done", { shipmentId: r.shipment?.id ?? null });
  else {
    // It left before anyone could stop it: the money and stock still come back; the parcel is a return.
    log.error("orders.shipment_not_halted", { orderId: run.b.order.id, shipmentId: r.shipment?.id });
    await stepFinished(run, "shipment_halted", "failed", { shipmentId: r.shipment?.id ?? null }, "the shipment had already left");
  }
  await crashPoint(run, "shipment_halted");
}

async function returnStock(run: Run): Promise<void> {
  const { log: steps, order: o } = run.b;
  if (isDone(steps, "restocked") || isDone(steps, "released")) return;
  const reservation = await attempt("stock", () => getReservation(run.env, o.reservationId));
  const plan = stockCompensation(reservation?.status ?? null);
  if (plan.step === null) {
    await stepFinished(run, "released", "done", { reservationId: o.reservationId, reservation: reservation?.status ?? "missing", note: "nothing was held" });
    return crashPoint(run, "released");
  }
  await stepStarted(run, plan.step, { reservationId: o.reservationId });
  if (plan.step === "released") {
    try {
      await releaseReservation(run.env, o.reservationId, ownerOf(run), `order ${o.number} cancelled`);
    } catch (err) {
      // Committed in the meantime: the next attempt returns the units instead.
      throw new CompensationPending("released", err);
    }
  } else {
    if (plan.finishCommitFirst) await attempt("restocked", () => commitReservation(run.env, o.reservationId, ownerOf(run)));
    for (const line of run.b.lines) {
      await attempt("restocked", () =>
        receiveReturn(run.env, { sku: line.sku, quantity: line.quantity, operationId: keysOf(run).restock(line.sku), reservationId: o.reservationId, actor: ownerOf(run), reason: `order ${o.number} cancelled`, correlationId: run.correlationId }),
      );
    }
  }
  await stepFinished(run, plan.step, "done", { reservationId: o.reservationId, lines: run.b.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })) });
  await crashPoint(run, plan.step);
}

async function returnMoney(run: Run): Promise<void> {
  // Decided again after each action: a void that finds the money captured is followed by a refund.
  for (let round = 0; round < 3; round++) {
    const payment = await attempt("payment", () => paymentOf(run));
    const plan = moneyCompensation(payment);
    if (!plan || !payment) return;
    if (plan.step === "refunded") {
      await stepStarted(run, "refunded", { paymentId: payment.id, amountMinor: plan.amountMinor });
      const refund = await attempt("refunded", () => refundPayment(run.env, run.db, { paymentId: payment.id, amountMinor: plan.amountMinor, reason: "order_cancelled", idempotencyKey: keysOf(run).refund, correlationId: run.correlationId }));
      await stepFinished(run, "refunded", "done", { paymentId: payment.id, refundId: refund.id, amountMinor: refund.amountMinor, status: refund.status });
      await crashPoint(run, "refunded");
    } else {
      await stepStarted(run, "voided", { paymentId: payment.id });
      const voided = await attempt("voided", () => voidPayment(run.env, run.db, { paymentId: payment.id, idempotencyKey: keysOf(run).void, correlationId: run.correlationId }));
      await stepFinished(run, "voided", "done", { paymentId: payment.id, status: voided.status });
      await crashPoint(run, "voided");
    }
  }
}

// ---- a cancel asked for by a customer or staff

/** Cancels the order if it may still be; refusals come back as the error to answer with. */
export async function cancelOrder(run: Run, reason: CancelReason, actor: string): Promise<ApiError | null> {
  const status = run.b.order.status;
  switch (status) {
    case "cancelled":
    case "cancelling":
      return null; // a repeat: the cancel is done or under way
    case "shipped":
    case "delivered":
      return alreadyShipped();
    case "confirmed":
      return cancelConfirmed(run, reason, actor);
    case "pending":
    case "confirming":
    case "awaiting_payment":
      await compensate(run, reason, `cancelled (${reason})`, actor);
      return null;
    default:
      return stateConflict(status, "cancelling");
  }
}

/**
 * A confirmed order is cancelled only if its shipment can still be stopped.
 * The stop is recorded as started while the order is still confirmed, so a
 * run cut short after the carrier stopped the parcel is finished by the
 * alarm (finishCancel) instead of leaving a confirmed order with no shipment.
 */
async function cancelConfirmed(run: Run, reason: CancelReason, actor: string): Promise<ApiError | null> {
  await stepStarted(run, "shipment_halted", { reason, actor });
  let r;
  try {
    r = await haltShipmentForOrder(run.env, run.db, { orderId: run.b.order.id, correlationId: run.correlationId });
  } catch (err) {
    await stepFinished(run, "shipment_halted", "failed", null, describe(err));
    return new ApiError(ErrorCode.DEPENDENCY_UNAVAILABLE, "The carrier could not be asked to stop the shipment; try again", { headers: { "retry-after": "5" } });
  }
  if (!r.halted) {
    await stepFinished(run, "shipment_halted", "failed", { shipmentId: r.shipment?.id ?? null }, "the shipment had already left");
    return alreadyShipped();
  }
  await stepFinished(run, "shipment_halted", "done", { shipmentId: r.shipment?.id ?? null, reason, actor });
  await crashPoint(run, "shipment_halted");
  await compensate(run, reason, `cancelled (${reason}), shipment stopped`, actor);
  return null;
}

/** Resumes a cancel of a confirmed order that was cut short after it asked the carrier to stop. */
export async function finishCancel(run: Run): Promise<void> {
  const started = run.b.log.shipment_halted?.result as { reason?: CancelReason; actor?: string } | null;
  const err = await cancelConfirmed(run, started?.reason ?? "customer_request", started?.actor ?? "system");
  if (err) log.warn("orders.cancel_not_finished", { orderId: run.b.order.id, code: err.code });
}

// ---- delivery progress (from delivery's events)

/** ShipmentDispatched: confirmed → shipped. DeliveryCompleted: → delivered, with OrderCompleted. Repeats change nothing. */
export async function shipmentMoved(run: Run, kind: "dispatched" | "delivered", at: string): Promise<void> {
  const o = run.b.order;
  if (o.status === "cancelling" || o.status === "cancelled") {
    log.error("orders.cancelled_order_shipped", { orderId: o.id, kind });
    return;
  }
  if (o.status === "pending" || o.status === "confirming" || o.status === "awaiting_payment") {
    // The shipment got ahead of the order's own confirmation: the event is delivered again later.
    throw new Error(`order ${o.id} is ${o.status}; its shipment cannot have moved yet`);
  }
  if (o.status === "confirmed") await move(run, "shipped", { note: "shipment dispatched" });
  if (kind === "delivered" && run.b.order.status === "shipped") {
    await move(run, "delivered", {
      note: "delivered",
      emit: { contract: OrderCompleted, payload: { orderId: o.id, orderNumber: o.number, userId: o.userId, totalMinor: o.totalMinor, currency: o.currency, completedAt: new Date(at).toISOString() } },
    });
  }
}
