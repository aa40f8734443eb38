/**
 * The checkout saga's steps, in one table: for each forward step, its
 * action (what is asked of the other family), why the order is cancelled
 * when the step keeps failing, and its compensation (what gives its effect
 * back when the order is cancelled).
 *
 * Which step comes next is the pure rules' decision (saga-rules.ts:
 * `nextForwardStep`, in the order of `FORWARD_STEPS`, which is this table's
 * order). Each action records its step as started before its side effect is
 * asked for and done after, with a key derived from the order, so a repeat
 * after a crash never charges, sells or ships twice.
 *
 * Compensations run newest step first and once each: some give back two
 * steps' effects at once, decided from what inventory and payments report
 * now (the stock: the units a commit sold, or the hold; the money: what was
 * captured, or the authorisation). So the order is: stop the shipment, give
 * the stock back, give the money back. Each is keyed by the order, so
 * running it twice is harmless; a dependency that fails ends it "pending"
 * (tried again later), never given up.
 */
import type { ORDER_CANCEL_REASONS } from "../../queues/contracts/events/order.ts";
import { createShipmentForOrder, haltShipmentForOrder, type ShippingAddress } from "../../workers/delivery/index.ts";
import { commitReservation, getReservation, receiveReturn, releaseReservation } from "../../workers/inventory/index.ts";
import { authorizePayment, capturePayment, type PaymentView, refundPayment, voidPayment } from "../../workers/payments/index.ts";
import { log } from "../../workers/platform/log.ts";
import { sagaKeys } from "./saga-keys.ts";
import { type CompensationStep, type ForwardStep, isDone, moneyCompensation, stockCompensation, wasAttempted } from "./saga-rules.ts";
import { callStep, crashPoint, describe, isTransient, ownerOf, patch, paymentOf, type Run, stepFinished, stepStarted } from "./saga-run.ts";
import type { OrderBundle } from "./store.ts";

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

/** A compensation ends with the order's next state; `pending` when a dependency failed and it must be tried again later. */
export interface Compensated {
  b: OrderBundle;
  pending: { step: string; error: string } | null;
}

export interface Compensation {
  /** For the logs and the docs; the log records it as one of `steps`. */
  name: string;
  steps: readonly CompensationStep[];
  run(run: Run, b: OrderBundle): Promise<Compensated>;
}

export interface SagaStep {
  step: ForwardStep;
  action(run: Run, b: OrderBundle): Promise<Acted>;
  /** Why the order is cancelled when the step keeps failing after its retries. */
  exhausted: CancelReason;
  compensation: Compensation;
}

// ---- compensations

/** A compensation's call failed: try again later (every call is idempotent). */
class CompensationPending extends Error {
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super(describe(cause));
  }
}

/** Runs a compensation's call; any failure means "try again later". */
async function attempt<T>(step: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new CompensationPending(step, err);
  }
}

/**
 * Runs a compensation's body, which keeps its latest state in `at` as it
 * goes: a call that must be tried again later ends it there, pending.
 */
async function compensating(b: OrderBundle, body: (at: { b: OrderBundle }) => Promise<void>): Promise<Compensated> {
  const at = { b };
  try {
    await body(at);
    return { b: at.b, pending: null };
  } catch (err) {
    if (err instanceof CompensationPending) return { b: at.b, pending: { step: err.step, error: err.message } };
    throw err;
  }
}

const haltShipment: Compensation = {
  name: "stop the shipment",
  steps: ["shipment_halted"],
  run: (run, start) =>
    compensating(start, async (at) => {
      const { log: steps, order: o } = at.b;
      if (!wasAttempted(steps, "shipment_created") || isDone(steps, "shipment_halted") || steps.shipment_halted?.state === "failed") return;
      at.b = await stepStarted(run, at.b, "shipment_halted");
      const r = await attempt("shipment_halted", () =>
        haltShipmentForOrder(run.rt, run.db, { orderId: o.id, correlationId: run.correlationId }),
      );
      if (r.halted) at.b = await stepFinished(run, at.b, "shipment_halted", "done", { shipmentId: r.shipment?.id ?? null });
      else {
        // It left before anyone could stop it: the money and stock still come back; the parcel is a return.
        log.error("orders.shipment_not_halted", { orderId: o.id, shipmentId: r.shipment?.id });
        at.b = await stepFinished(
          run,
          at.b,
          "shipment_halted",
          "failed",
          { shipmentId: r.shipment?.id ?? null },
          "the shipment had already left",
        );
      }
      await crashPoint(run, at.b, "shipment_halted");
    }),
};

const giveStockBack: Compensation = {
  name: "give the stock back",
  steps: ["restocked", "released"],
  run: (run, start) =>
    compensating(start, async (at) => {
      const { log: steps, order: o, lines } = at.b;
      if (isDone(steps, "restocked") || isDone(steps, "released")) return;
      const reservation = await attempt("stock", () => getReservation(run.rt, o.reservationId));
      const plan = stockCompensation(reservation?.status ?? null);
      if (plan.step === null) {
        at.b = await stepFinished(run, at.b, "released", "done", {
          reservationId: o.reservationId,
          reservation: reservation?.status ?? "missing",
          note: "nothing was held",
        });
        return crashPoint(run, at.b, "released");
      }
      at.b = await stepStarted(run, at.b, plan.step, { reservationId: o.reservationId });
      if (plan.step === "released") {
        try {
          await releaseReservation(run.rt, o.reservationId, ownerOf(at.b), `order ${o.number} cancelled`);
        } catch (err) {
          // Committed in the meantime: the next attempt returns the units instead.
          throw new CompensationPending("released", err);
        }
      } else {
        if (plan.finishCommitFirst) await attempt("restocked", () => commitReservation(run.rt, o.reservationId, ownerOf(at.b)));
        for (const line of lines) {
          await attempt("restocked", () =>
            receiveReturn(run.rt, {
              sku: line.sku,
              quantity: line.quantity,
              operationId: sagaKeys(o.id).restock(line.sku),
              reservationId: o.reservationId,
              actor: ownerOf(at.b),
              reason: `order ${o.number} cancelled`,
              correlationId: run.correlationId,
            }),
          );
        }
      }
      at.b = await stepFinished(run, at.b, plan.step, "done", {
        reservationId: o.reservationId,
        lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      });
      await crashPoint(run, at.b, plan.step);
    }),
};

const giveMoneyBack: Compensation = {
  name: "give the money back",
  steps: ["refunded", "voided"],
  run: (run, start) =>
    compensating(start, async (at) => {
      const keys = sagaKeys(at.b.order.id);
      // Decided again after each action: a void that finds the money captured is followed by a refund.
      for (let round = 0; round < 3; round++) {
        const payment = await attempt("payment", () => paymentOf(run, at.b));
        const plan = moneyCompensation(payment);
        if (!plan || !payment) return;
        if (plan.step === "refunded") {
          at.b = await stepStarted(run, at.b, "refunded", { paymentId: payment.id, amountMinor: plan.amountMinor });
          const refund = await attempt("refunded", () =>
            refundPayment(run.rt, run.db, {
              paymentId: payment.id,
              amountMinor: plan.amountMinor,
              reason: "order_cancelled",
              idempotencyKey: keys.refund,
              correlationId: run.correlationId,
            }),
          );
          at.b = await stepFinished(run, at.b, "refunded", "done", {
            paymentId: payment.id,
            refundId: refund.id,
            amountMinor: refund.amountMinor,
            status: refund.status,
          });
          await crashPoint(run, at.b, "refunded");
        } else {
          at.b = await stepStarted(run, at.b, "voided", { paymentId: payment.id });
          const voided = await attempt("voided", () =>
            voidPayment(run.rt, run.db, { paymentId: payment.id, idempotencyKey: keys.void, correlationId: run.correlationId }),
          );
          at.b = await stepFinished(run, at.b, "voided", "done", { paymentId: payment.id, status: voided.status });
          await crashPoint(run, at.b, "voided");
        }
      }
    }),
};

// ---- actions

const failedOrTransient = (err: unknown, reason: CancelReason): Outcome =>
  isTransient(err) ? { kind: "transient", error: describe(err) } : { kind: "failed", reason, error: describe(err) };

/** Reserved when the order was placed; an order without it cannot get here. */
async function reserve(_run: Run, b: OrderBundle): Promise<Acted> {
  return { b, outcome: { kind: "failed", reason: "out_of_stock", error: "the order holds no stock" } };
}

async function authorize(run: Run, start: OrderBundle): Promise<Acted> {
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

async function capture(run: Run, start: OrderBundle): Promise<Acted> {
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

async function commit(run: Run, start: OrderBundle): Promise<Acted> {
  const reservationId = start.order.reservationId;
  const b = await stepStarted(run, start, "committed", { reservationId });
  const r = await callStep(run, b, "committed", () => commitReservation(run.rt, reservationId, ownerOf(b)));
  if (!r.ok) return { b, outcome: failedOrTransient(r.error, "out_of_stock") };
  return { b: await stepFinished(run, b, "committed", "done", { reservationId }), outcome: { kind: "done" } };
}

async function ship(run: Run, start: OrderBundle): Promise<Acted> {
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
        unitPaidMinor: l.unitPriceMinor,
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

// ---- the table

/** The forward steps in the order they run (that of `FORWARD_STEPS`), each with its action and its compensation. */
export const SAGA_STEPS: readonly SagaStep[] = [
  { step: "reserved", action: reserve, exhausted: "out_of_stock", compensation: giveStockBack },
  { step: "authorized", action: authorize, exhausted: "payment_failed", compensation: giveMoneyBack },
  { step: "captured", action: capture, exhausted: "payment_failed", compensation: giveMoneyBack },
  { step: "committed", action: commit, exhausted: "fulfilment_failed", compensation: giveStockBack },
  { step: "shipment_created", action: ship, exhausted: "fulfilment_failed", compensation: haltShipment },
];

export function sagaStep(step: ForwardStep): SagaStep {
  const s = SAGA_STEPS.find((x) => x.step === step);
  if (!s) throw new Error(`The saga has no step ${step}`);
  return s;
}

/** The compensations in the order they run: newest step first, each once. */
export const COMPENSATIONS: readonly Compensation[] = [...new Set([...SAGA_STEPS].reverse().map((s) => s.compensation))];
