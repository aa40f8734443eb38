/**
 * The checkout saga's driver: runs the steps of the table (saga-steps.ts)
 * forward until the order is confirmed (with OrderConfirmed), waits for the
 * provider, or compensates; runs the compensations until the order is
 * cancelled (with OrderCancelled); and the other ways an order moves: a
 * cancel asked for by a customer or staff, and delivery progress.
 *
 * A dependency that is unavailable is tried again later (the alarm) a few
 * times going forward; a refusal, or retries running out, compensates.
 * Compensation never gives up: a dependency that fails is tried again later,
 * and the order stays `cancelling` (visible) until it is done.
 *
 * Every function takes the order's state it starts from and returns the
 * state it leaves the order in (see saga-run.ts).
 */
import { OrderCancelled, OrderCompleted, OrderConfirmed } from "../../queues/contracts/events/order.ts";
import { haltShipmentForOrder } from "../../workers/delivery/index.ts";
import { extendReservation } from "../../workers/inventory/index.ts";
import type { PaymentView } from "../../workers/payments/index.ts";
import { ApiError, ErrorCode } from "../../workers/platform/errors.ts";
import { log } from "../../workers/platform/log.ts";
import { OrderErrors } from "./errors.ts";
import { nextForwardStep, previousStep } from "./saga-rules.ts";
import { crashPoint, describe, move, ownerOf, patch, paymentOf, planRetry, type Run, stepFinished, stepStarted } from "./saga-run.ts";
import { afterAuthorization, type CancelReason, COMPENSATIONS, sagaStep } from "./saga-steps.ts";
import { stateConflict } from "./state.ts";
import type { OrderBundle } from "./store.ts";

// ---- forward

/** Runs the forward steps from where the log says the order is, until it is confirmed, waits, or compensates. */
export async function forward(run: Run, start: OrderBundle): Promise<OrderBundle> {
  let b = start.order.retryAt !== null ? await patch(run, start, { retryAt: null }) : start;
  for (;;) {
    const step = nextForwardStep(b.log);
    const previous = step ? previousStep(step) : "shipment_created";
    if (previous) await crashPoint(run, b, previous);
    if (!step) return confirmed(run, b);
    const { step: name, action, exhausted } = sagaStep(step);
    const acted = await action(run, b);
    const outcome = acted.outcome;
    b = acted.b;
    if (outcome.kind === "done") {
      if (b.order.retries > 0) b = await patch(run, b, { retries: 0 });
      continue;
    }
    if (outcome.kind === "pending") return awaitPayment(run, b, outcome.payment);
    if (outcome.kind === "transient" && b.order.retries < run.config.ORDER_SAGA_MAX_RETRIES) return planRetry(run, b);
    const reason = outcome.kind === "failed" ? outcome.reason : exhausted;
    const note =
      outcome.kind === "failed"
        ? `${name} failed: ${outcome.error}`
        : `${name} kept failing after ${b.order.retries} retries: ${outcome.error}`;
    return compensate(run, b, reason, note);
  }
}

function confirmed(run: Run, b: OrderBundle): Promise<OrderBundle> {
  const o = b.order;
  return move(run, b, "confirmed", {
    note: "paid, stock committed, shipment created",
    patch: { retries: 0, retryAt: null },
    emit: {
      contract: OrderConfirmed,
      payload: { orderId: o.id, orderNumber: o.number, userId: o.userId, totalMinor: o.totalMinor, currency: o.currency },
    },
  });
}

const PENDING = ["pending_settlement", "requires_action", "authorizing"];

/** The provider settles later: keep the stock held until the deadline, and rest until its webhook or the deadline. */
async function awaitPayment(run: Run, start: OrderBundle, payment: PaymentView): Promise<OrderBundle> {
  const deadline = Date.now() + run.config.ORDER_PAYMENT_TIMEOUT_SECONDS * 1000;
  try {
    // A little past the deadline, so the hold never lapses before the order is decided.
    await extendReservation(run.rt, start.order.reservationId, run.config.ORDER_PAYMENT_TIMEOUT_SECONDS + 300, ownerOf(start));
  } catch (err) {
    log.warn("orders.hold_not_extended", { orderId: start.order.id, error: describe(err) });
  }
  const b = await move(run, start, "awaiting_payment", {
    note: `waiting for the provider to settle payment ${payment.id}`,
    patch: { paymentDeadline: new Date(deadline), retries: 0, retryAt: null },
  });
  // A settlement whose event was consumed before this move committed found the order still confirming and woke
  // nobody; it was committed before its event, so looking again now cannot miss it.
  const again = await paymentOf(run, b);
  if (again && !PENDING.includes(again.status)) return checkPayment(run, b);
  return b;
}

/**
 * An order waiting for its payment looks at it again (the provider's webhook
 * arrived, or the deadline passed): settled goes on, refused or timed out
 * compensates, still pending rests.
 */
export async function checkPayment(run: Run, b: OrderBundle): Promise<OrderBundle> {
  const payment = await paymentOf(run, b);
  const deadline = b.order.paymentDeadline?.getTime() ?? 0;
  if (payment && PENDING.includes(payment.status)) {
    if (deadline > Date.now()) return b;
    return compensate(run, b, "expired", `the payment did not settle within ${run.config.ORDER_PAYMENT_TIMEOUT_SECONDS} s`);
  }
  if (!payment) return compensate(run, b, "payment_failed", "the payment could not be found");
  const settled = await afterAuthorization(run, b, payment);
  if (settled.outcome.kind === "failed")
    return compensate(run, settled.b, "payment_failed", `the provider refused the payment: ${settled.outcome.error}`);
  return forward(run, await move(run, settled.b, "confirming", { note: "payment settled by the provider" }));
}

// ---- backward

/** Starts compensating (the order becomes `cancelling` with its reason) and runs the compensations. */
export async function compensate(run: Run, start: OrderBundle, reason: CancelReason, note: string, actor?: string): Promise<OrderBundle> {
  const b =
    start.order.status !== "cancelling"
      ? await move(run, start, "cancelling", { note, actor, patch: { cancelReason: reason, retries: 0, retryAt: null } })
      : start;
  return compensations(run, b);
}

/** Runs what is left of the compensations; a failing dependency schedules another attempt. */
export async function compensations(run: Run, start: OrderBundle): Promise<OrderBundle> {
  let b = start.order.retryAt !== null ? await patch(run, start, { retryAt: null }) : start;
  for (const compensation of COMPENSATIONS) {
    const done = await compensation.run(run, b);
    b = done.b;
    if (done.pending) {
      log.warn("orders.compensation_retry", { orderId: b.order.id, step: done.pending.step, error: done.pending.error });
      return planRetry(run, b);
    }
  }
  const o = b.order;
  const refundMinor = Number(b.log.refunded?.state === "done" ? (b.log.refunded.result?.amountMinor ?? 0) : 0);
  return move(run, b, "cancelled", {
    note: refundMinor > 0 ? `refunded ${refundMinor} ${o.currency}` : "nothing was charged",
    patch: { refundMinor, retries: 0, retryAt: null },
    emit: {
      contract: OrderCancelled,
      payload: {
        orderId: o.id,
        orderNumber: o.number,
        userId: o.userId,
        reason: (o.cancelReason ?? "merchant") as CancelReason,
        refundMinor,
        currency: o.currency,
      },
    },
  });
}

// ---- a cancel asked for by a customer or staff

const alreadyShipped = () =>
  new ApiError(
    OrderErrors.ORDER_ALREADY_SHIPPED,
    "The order's shipment has left the warehouse and can no longer be stopped; start a return once it arrives (POST /api/delivery/returns)",
  );

/** The order's state after a cancel, and the refusal to answer with when it may no longer be cancelled. */
export interface CancelResult {
  b: OrderBundle;
  refused: ApiError | null;
}

/** Cancels the order if it may still be; refusals come back as the error to answer with. */
export async function cancelOrder(run: Run, b: OrderBundle, reason: CancelReason, actor: string): Promise<CancelResult> {
  const status = b.order.status;
  switch (status) {
    case "cancelled":
    case "cancelling":
      return { b, refused: null }; // a repeat: the cancel is done or under way
    case "shipped":
    case "delivered":
      return { b, refused: alreadyShipped() };
    case "confirmed":
      return cancelConfirmed(run, b, reason, actor);
    case "pending":
    case "confirming":
    case "awaiting_payment":
      return { b: await compensate(run, b, reason, `cancelled (${reason})`, actor), refused: null };
    default:
      return { b, refused: stateConflict(status, "cancelling") };
  }
}

/**
 * A confirmed order is cancelled only if its shipment can still be stopped.
 * The stop is recorded as started while the order is still confirmed, so a
 * run cut short after the carrier stopped the parcel is finished by the
 * alarm (finishCancel) instead of leaving a confirmed order with no shipment.
 */
async function cancelConfirmed(run: Run, start: OrderBundle, reason: CancelReason, actor: string): Promise<CancelResult> {
  const b = await stepStarted(run, start, "shipment_halted", { reason, actor });
  let r: Awaited<ReturnType<typeof haltShipmentForOrder>>;
  try {
    r = await haltShipmentForOrder(run.rt, run.db, { orderId: b.order.id, correlationId: run.correlationId });
  } catch (err) {
    return {
      b: await stepFinished(run, b, "shipment_halted", "failed", null, describe(err)),
      refused: new ApiError(ErrorCode.DEPENDENCY_UNAVAILABLE, "The carrier could not be asked to stop the shipment; try again", {
        headers: { "retry-after": "5" },
      }),
    };
  }
  if (!r.halted)
    return {
      b: await stepFinished(run, b, "shipment_halted", "failed", { shipmentId: r.shipment?.id ?? null }, "the shipment had already left"),
      refused: alreadyShipped(),
    };
  const halted = await stepFinished(run, b, "shipment_halted", "done", { shipmentId: r.shipment?.id ?? null, reason, actor });
  await crashPoint(run, halted, "shipment_halted");
  return { b: await compensate(run, halted, reason, `cancelled (${reason}), shipment stopped`, actor), refused: null };
}

/** Resumes a cancel of a confirmed order that was cut short after it asked the carrier to stop. */
export async function finishCancel(run: Run, b: OrderBundle): Promise<OrderBundle> {
  const started = b.log.shipment_halted?.result as { reason?: CancelReason; actor?: string } | null;
  const { b: after, refused } = await cancelConfirmed(run, b, started?.reason ?? "customer_request", started?.actor ?? "system");
  if (refused) log.warn("orders.cancel_not_finished", { orderId: after.order.id, code: refused.code });
  return after;
}

// ---- delivery progress (from delivery's events)

/** ShipmentDispatched: confirmed → shipped. DeliveryCompleted: → delivered, with OrderCompleted. Repeats change nothing. */
export async function shipmentMoved(run: Run, start: OrderBundle, kind: "dispatched" | "delivered", at: string): Promise<OrderBundle> {
  const o = start.order;
  if (o.status === "cancelling" || o.status === "cancelled") {
    log.error("orders.cancelled_order_shipped", { orderId: o.id, kind });
    return start;
  }
  if (o.status === "pending" || o.status === "confirming" || o.status === "awaiting_payment") {
    // The shipment got ahead of the order's own confirmation: the event is delivered again later.
    throw new Error(`order ${o.id} is ${o.status}; its shipment cannot have moved yet`);
  }
  const b = o.status === "confirmed" ? await move(run, start, "shipped", { note: "shipment dispatched" }) : start;
  if (kind !== "delivered" || b.order.status !== "shipped") return b;
  return move(run, b, "delivered", {
    note: "delivered",
    emit: {
      contract: OrderCompleted,
      payload: {
        orderId: o.id,
        orderNumber: o.number,
        userId: o.userId,
        totalMinor: o.totalMinor,
        currency: o.currency,
        completedAt: new Date(at).toISOString(),
      },
    },
  });
}
