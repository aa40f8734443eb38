/**
 * The compensations of the checkout saga's steps (the table is in
 * saga-steps.ts): what gives a step's effect back when the order is
 * cancelled.
 *
 * Compensations run newest step first and once each: some give back two
 * steps' effects at once, decided from what inventory and payments report
 * now (the stock: the units a commit sold, or the hold; the money: what was
 * captured, or the authorisation). So the order is: stop the shipment, give
 * the stock back, give the money back. Each is keyed by the order, so
 * running it twice is harmless; a dependency that fails ends it "pending"
 * (tried again later), never given up.
 */
import { haltShipmentForOrder } from "../../workers/delivery/index.ts";
import { commitReservation, getReservation, receiveReturn, releaseReservation } from "../../workers/inventory/index.ts";
import { refundPayment, voidPayment } from "../../workers/payments/index.ts";
import { log } from "../../workers/platform/log.ts";
import { sagaKeys } from "./saga-keys.ts";
import { type CompensationStep, isDone, moneyCompensation, stockCompensation, wasAttempted } from "./saga-rules.ts";
import { crashPoint, describe, ownerOf, paymentOf, type Run, stepFinished, stepStarted } from "./saga-run.ts";
import type { OrderBundle } from "./store.ts";

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

export const haltShipment: Compensation = {
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

export const giveStockBack: Compensation = {
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

export const giveMoneyBack: Compensation = {
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
