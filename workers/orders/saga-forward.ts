/**
 * The saga going forward: authorise, capture, commit the stock, create the
 * shipment, then confirmed with OrderConfirmed. Each step is recorded as
 * started before its side effect is asked for and done after, with a key
 * derived from the order, so a repeat after a crash never charges, sells or
 * ships twice. A dependency that is unavailable is tried again later (the
 * alarm) a few times; a refusal, or retries running out, compensates.
 */
import { OrderConfirmed } from "../../queues/contracts/events/order.ts";
import { createShipmentForOrder } from "../delivery/service.ts";
import type { ShippingAddress } from "../delivery/address.ts";
import { commitReservation, extendReservation } from "../inventory/service.ts";
import { log } from "../platform/log.ts";
import { authorizePayment, capturePayment, type PaymentView } from "../payments/service.ts";
import type { ORDER_CANCEL_REASONS } from "../../queues/contracts/events/order.ts";
import { compensate } from "./saga-compensate.ts";
import { callStep, crashPoint, describe, isTransient, keysOf, move, ownerOf, patch, paymentOf, planRetry, stepFinished, stepStarted, type Run } from "./saga-run.ts";
import { nextForwardStep, previousStep, type ForwardStep } from "./saga-rules.ts";

export type CancelReason = (typeof ORDER_CANCEL_REASONS)[number];

type Outcome = { kind: "done" } | { kind: "pending"; payment: PaymentView } | { kind: "transient"; error: string } | { kind: "failed"; reason: CancelReason; error: string };

/** Why an order is cancelled when a step keeps failing. */
const EXHAUSTED_REASON: Record<ForwardStep, CancelReason> = { reserved: "out_of_stock", authorized: "payment_failed", captured: "payment_failed", committed: "fulfilment_failed", shipment_created: "fulfilment_failed" };

/** Runs the forward steps from where the log says the order is, until it is confirmed, waits, or compensates. */
export async function forward(run: Run): Promise<void> {
  if (run.b.order.retryAt !== null) await patch(run, { retryAt: null });
  for (;;) {
    const step = nextForwardStep(run.b.log);
    const previous = step ? previousStep(step) : "shipment_created";
    if (previous) await crashPoint(run, previous);
    if (!step) return confirmed(run);
    const outcome = await runStep(run, step);
    if (outcome.kind === "done") {
      if (run.b.order.retries > 0) await patch(run, { retries: 0 });
      continue;
    }
    if (outcome.kind === "pending") return awaitPayment(run, outcome.payment);
    if (outcome.kind === "transient" && run.b.order.retries < run.config.ORDER_SAGA_MAX_RETRIES) return planRetry(run);
    const reason = outcome.kind === "failed" ? outcome.reason : EXHAUSTED_REASON[step];
    const note = outcome.kind === "failed" ? `${step} failed: ${outcome.error}` : `${step} kept failing after ${run.b.order.retries} retries: ${outcome.error}`;
    return compensate(run, reason, note);
  }
}

function runStep(run: Run, step: ForwardStep): Promise<Outcome> {
  switch (step) {
    case "reserved":
      // Reserved when the order was placed; an order without it cannot get here.
      return Promise.resolve({ kind: "failed", reason: "out_of_stock", error: "the order holds no stock" });
    case "authorized":
      return authorize(run);
    case "captured":
      return capture(run);
    case "committed":
      return commit(run);
    case "shipment_created":
      return ship(run);
  }
}

const failedOrTransient = (err: unknown, reason: CancelReason): Outcome => (isTransient(err) ? { kind: "transient", error: describe(err) } : { kind: "failed", reason, error: describe(err) });

async function authorize(run: Run): Promise<Outcome> {
  const o = run.b.order;
  await stepStarted(run, "authorized");
  const r = await callStep(run, "authorized", () =>
    authorizePayment(run.env, run.db, { orderId: o.id, orderNumber: o.number, userId: o.userId, amountMinor: o.totalMinor, currency: o.currency, paymentMethodId: o.paymentMethodId!, idempotencyKey: keysOf(run).authorize, correlationId: run.correlationId }),
  );
  if (!r.ok) return failedOrTransient(r.error, "payment_failed");
  return afterAuthorization(run, r.value);
}

/** What a payment's state means for the authorisation step (also when a provider settles it later). */
async function afterAuthorization(run: Run, p: PaymentView): Promise<Outcome> {
  if (run.b.order.paymentId !== p.id) await patch(run, { paymentId: p.id });
  const result = { paymentId: p.id, status: p.status };
  switch (p.status) {
    case "authorized":
      await stepFinished(run, "authorized", "done", result);
      return { kind: "done" };
    case "captured":
    case "partially_refunded":
    case "refunded":
      // Captured already (a provider that captures on authorisation): both steps are done.
      await stepFinished(run, "authorized", "done", result);
      await stepFinished(run, "captured", "done", { paymentId: p.id, capturedMinor: p.capturedMinor });
      return { kind: "done" };
    case "pending_settlement":
    case "requires_action":
    case "authorizing":
      await stepStarted(run, "authorized", result);
      return { kind: "pending", payment: p };
    default:
      await stepFinished(run, "authorized", "failed", result, p.failureReason ?? p.status);
      return { kind: "failed", reason: "payment_failed", error: p.failureReason ?? p.status };
  }
}

async function capture(run: Run): Promise<Outcome> {
  const payment = await paymentOf(run);
  if (!payment) return { kind: "failed", reason: "payment_failed", error: "no payment to capture" };
  await stepStarted(run, "captured", { paymentId: payment.id });
  const r = await callStep(run, "captured", () => capturePayment(run.env, run.db, { paymentId: payment.id, idempotencyKey: keysOf(run).capture, correlationId: run.correlationId }));
  if (!r.ok) return failedOrTransient(r.error, "payment_failed");
  const p = r.value;
  if (p.capturedMinor > 0 || p.status === "captured") {
    await stepFinished(run, "captured", "done", { paymentId: p.id, capturedMinor: p.capturedMinor });
    return { kind: "done" };
  }
  if (p.status === "failed" || p.status === "voided") {
    await stepFinished(run, "captured", "failed", { paymentId: p.id }, p.failureReason ?? p.status);
    return { kind: "failed", reason: "payment_failed", error: p.failureReason ?? p.status };
  }
  return { kind: "transient", error: `the payment is ${p.status}` };
}

async function commit(run: Run): Promise<Outcome> {
  const reservationId = run.b.order.reservationId;
  await stepStarted(run, "committed", { reservationId });
  const r = await callStep(run, "committed", () => commitReservation(run.env, reservationId, ownerOf(run)));
  if (!r.ok) return failedOrTransient(r.error, "out_of_stock");
  await stepFinished(run, "committed", "done", { reservationId });
  return { kind: "done" };
}

async function ship(run: Run): Promise<Outcome> {
  const { order: o, lines } = run.b;
  const paymentId = o.paymentId ?? "";
  await stepStarted(run, "shipment_created");
  const r = await callStep(run, "shipment_created", () =>
    createShipmentForOrder(run.env, run.db, {
      orderId: o.id,
      orderNumber: o.number,
      userId: o.userId,
      paymentId,
      address: o.shippingAddress as ShippingAddress,
      lines: lines.map((l) => ({ sku: l.sku, productId: l.productId, name: l.name, quantity: l.quantity, unitPaidMinor: l.unitPriceMinor })),
      currency: o.currency,
      correlationId: run.correlationId,
    }),
  );
  if (!r.ok) return failedOrTransient(r.error, "fulfilment_failed");
  await patch(run, { shipmentId: r.value.id });
  await stepFinished(run, "shipment_created", "done", { shipmentId: r.value.id, trackingNumber: r.value.trackingNumber });
  return { kind: "done" };
}

async function confirmed(run: Run): Promise<void> {
  const o = run.b.order;
  await move(run, "confirmed", {
    note: "paid, stock committed, shipment created",
    patch: { retries: 0, retryAt: null },
    emit: { contract: OrderConfirmed, payload: { orderId: o.id, orderNumber: o.number, userId: o.userId, totalMinor: o.totalMinor, currency: o.currency } },
  });
}

/** The provider settles later: keep the stock held until the deadline, and rest until its webhook or the deadline. */
async function awaitPayment(run: Run, payment: PaymentView): Promise<void> {
  const deadline = Date.now() + run.config.ORDER_PAYMENT_TIMEOUT_SECONDS * 1000;
  try {
    // A little past the deadline, so the hold never lapses before the order is decided.
    await extendReservation(run.env, run.b.order.reservationId, run.config.ORDER_PAYMENT_TIMEOUT_SECONDS + 300, ownerOf(run));
  } catch (err) {
    log.warn("orders.hold_not_extended", { orderId: run.b.order.id, error: describe(err) });
  }
  await move(run, "awaiting_payment", { note: `waiting for the provider to settle payment ${payment.id}`, patch: { paymentDeadline: new Date(deadline), retries: 0, retryAt: null } });
  // A settlement whose event was consumed before this move committed found the order still confirming and woke
  // nobody; it was committed before its event, so looking again now cannot miss it.
  const again = await paymentOf(run);
  if (again && !PENDING.includes(again.status)) return checkPayment(run);
}

const PENDING = ["pending_settlement", "requires_action", "authorizing"];

/**
 * An order waiting for its payment looks at it again (the provider's webhook
 * arrived, or the deadline passed): settled goes on, refused or timed out
 * compensates, still pending rests.
 */
export async function checkPayment(run: Run): Promise<void> {
  const payment = await paymentOf(run);
  const deadline = run.b.order.paymentDeadline?.getTime() ?? 0;
  if (payment && PENDING.includes(payment.status)) {
    if (deadline > Date.now()) return;
    return compensate(run, "expired", `the payment did not settle within ${run.config.ORDER_PAYMENT_TIMEOUT_SECONDS} s`);
  }
  if (!payment) return compensate(run, "payment_failed", "the payment could not be found");
  const outcome = await afterAuthorization(run, payment);
  if (outcome.kind === "failed") return compensate(run, "payment_failed", `the provider refused the payment: ${outcome.error}`);
  await move(run, "confirming", { note: "payment settled by the provider" });
  return forward(run);
}
