/**
 * The forward actions of the checkout saga's steps (the table is in
 * saga-steps.ts): what each step asks of the other family, and how the
 * answer ends the step. Each action records its step as started before its
 * side effect is asked for and done after, with a key derived from the
 * order, so a repeat after a crash never charges, sells or ships twice.
 */
import type { ORDER_CANCEL_REASONS } from "../../queues/contracts/events/order.ts";
import { createShipmentForOrder, type ShippingAddress } from "../../workers/delivery/index.ts";
import { commitReservation } from "../../workers/inventory/index.ts";
import { authorizePayment, capturePayment, type PaymentView } from "../../workers/payments/index.ts";
import { sagaKeys } from "./saga-keys.ts";
import { callStep, describe, isTransient, ownerOf, patch, paymentOf, type Run, stepFinished, stepStarted } from "./saga-run.ts";
import type { OrderBundle } from "./store.ts";
import { unitPaidMinor } from "./totals.ts";

export type CancelReason = (typeof ORDER_CANCEL_REASONS)[number];

export type Outcome =
  | { kind: "done" }
  | { kind: "pending"; payment: PaymentView }
  | { kind: "transient"; error: string }
  | { kind: "failed"; reason: CancelReason; error: string };

/** A step's action ends with the order's next state and how the step went. */
export interface Acted {
  b: OrderBundle;
  outcome: Outcome;
}

const failedOrTransient = (err: unknown, reason: CancelReason): Outcome =>
  isTransient(err) ? { kind: "transient", error: describe(err) } : { kind: "failed", reason, error: describe(err) };

/** Reserved when the order was placed; an order without it cannot get here. */
export async function reserve(_run: Run, b: OrderBundle): Promise<Acted> {
  return { b, outcome: { kind: "failed", reason: "out_of_stock", error: "the order holds no stock" } };
}

export async function authorize(run: Run, start: OrderBundle): Promise<Acted> {
  const o = start.order;
  const b = await stepStarted(run, start, "authorized");
  const r = await callStep(run, b, "authorized", () =>
    authorizePayment(run.rt, run.db, {
      orderId: o.id,
      orderNumber: o.number,
      userId: o.userId,
      amountMinor: o.totalMinor,
      currency: o.currency,
      paymentMethodId: o.paymentMethodId!,
      idempotencyKey: sagaKeys(o.id).authorize,
      correlationId: run.correlationId,
    }),
  );
  if (!r.ok) return { b, outcome: failedOrTransient(r.error, "payment_failed") };
  return afterAuthorization(run, b, r.value);
}

/** What a payment's state means for the authorisation step (also when a provider settles it later). */
export async function afterAuthorization(run: Run, start: OrderBundle, p: PaymentView): Promise<Acted> {
  const b = start.order.paymentId !== p.id ? await patch(run, start, { paymentId: p.id }) : start;
  const result = { paymentId: p.id, status: p.status };
  switch (p.status) {
    case "authorized":
      return { b: await stepFinished(run, b, "authorized", "done", result), outcome: { kind: "done" } };
    case "captured":
    case "partially_refunded":
    case "refunded": {
      // Captured already (a provider that captures on authorisation): both steps are done.
      const authorized = await stepFinished(run, b, "authorized", "done", result);
      return {
        b: await stepFinished(run, authorized, "captured", "done", { paymentId: p.id, capturedMinor: p.capturedMinor }),
        outcome: { kind: "done" },
      };
    }
    case "pending_settlement":
    case "requires_action":
    case "authorizing":
      return { b: await stepStarted(run, b, "authorized", result), outcome: { kind: "pending", payment: p } };
    default:
      return {
        b: await stepFinished(run, b, "authorized", "failed", result, p.failureReason ?? p.status),
        outcome: { kind: "failed", reason: "payment_failed", error: p.failureReason ?? p.status },
      };
  }
}

export async function capture(run: Run, start: OrderBundle): Promise<Acted> {
  const payment = await paymentOf(run, start);
  if (!payment) return { b: start, outcome: { kind: "failed", reason: "payment_failed", error: "no payment to capture" } };
  const b = await stepStarted(run, start, "captured", { paymentId: payment.id });
  const r = await callStep(run, b, "captured", () =>
    capturePayment(run.rt, run.db, {
      paymentId: payment.id,
      idempotencyKey: sagaKeys(b.order.id).capture,
      correlationId: run.correlationId,
    }),
  );
  if (!r.ok) return { b, outcome: failedOrTransient(r.error, "payment_failed") };
  const p = r.value;
  if (p.capturedMinor > 0 || p.status === "captured") {
    return {
      b: await stepFinished(run, b, "captured", "done", { paymentId: p.id, capturedMinor: p.capturedMinor }),
      outcome: { kind: "done" },
    };
  }
  if (p.status === "failed" || p.status === "voided") {
    return {
      b: await stepFinished(run, b, "captured", "failed", { paymentId: p.id }, p.failureReason ?? p.status),
      outcome: { kind: "failed", reason: "payment_failed", error: p.failureReason ?? p.status },
    };
  }
  return { b, outcome: { kind: "transient", error: `the payment is ${p.status}` } };
}

export async function commit(run: Run, start: OrderBundle): Promise<Acted> {
  const reservationId = start.order.reservationId;
  const b = await stepStarted(run, start, "committed", { reservationId });
  const r = await callStep(run, b, "committed", () => commitReservation(run.rt, reservationId, ownerOf(b)));
  if (!r.ok) return { b, outcome: failedOrTransient(r.error, "out_of_stock") };
  return { b: await stepFinished(run, b, "committed", "done", { reservationId }), outcome: { kind: "done" } };
}

export async function ship(run: Run, start: OrderBundle): Promise<Acted> {
  const { order: o, lines } = start;
  const paymentId = o.paymentId ?? "";
  const b = await stepStarted(run, start, "shipment_created");
  const r = await callStep(run, b, "shipment_created", () =>
    createShipmentForOrder(run.rt, run.db, {
      orderId: o.id,
      orderNumber: o.number,
      userId: o.userId,
      paymentId,
      address: o.shippingAddress as ShippingAddress,
      lines: lines.map((l) => ({
        sku: l.sku,
        productId: l.productId,
        name: l.name,
        quantity: l.quantity,
        unitPaidMinor: unitPaidMinor(l, o.taxIncluded),
      })),
      currency: o.currency,
      correlationId: run.correlationId,
    }),
  );
  if (!r.ok) return { b, outcome: failedOrTransient(r.error, "fulfilment_failed") };
  const shipped = await patch(run, b, { shipmentId: r.value.id });
  return {
    b: await stepFinished(run, shipped, "shipment_created", "done", { shipmentId: r.value.id, trackingNumber: r.value.trackingNumber }),
    outcome: { kind: "done" },
  };
}
