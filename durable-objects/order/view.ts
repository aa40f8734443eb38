/**
 * What clients see of an order: lines, totals, the payment and shipment as
 * payments and delivery report them, the status timeline and the saga's
 * steps. Also the answers the order object gives its callers (an order with
 * a status code, or a problem), which are what idempotent repeats replay.
 */
import { SAGA_STEPS } from "../../db/schema/orders.ts";
import { type ShippingAddress, shipmentForOrder } from "../../workers/delivery/index.ts";
import { getPayment, PaymentErrors, paymentsForOrder } from "../../workers/payments/index.ts";
import type { Database } from "../../workers/platform/db.ts";
import { ApiError } from "../../workers/platform/errors.ts";
import { OrderErrors } from "./errors.ts";
import type { StepName, StepState } from "./saga-rules.ts";
import type { OrderStatus } from "./state.ts";
import type { OrderBundle, OrderRow } from "./store.ts";
import { type PricedLine, unitPaidMinor } from "./totals.ts";

export interface OrderView {
  id: string;
  number: string;
  userId: string;
  status: OrderStatus;
  currency: string;
  /** Each line with what one unit cost the customer, tax included (what a shipment records and a return refunds). */
  lines: (PricedLine & { unitPaidMinor: number })[];
  totals: {
    currency: string;
    itemCount: number;
    subtotalMinor: number;
    discountMinor: number;
    shippingMinor: number;
    taxMinor: number;
    totalMinor: number;
  };
  /** The promotion code applied and what it took off (lines and waived shipping). */
  promotion: { code: string; discountMinor: number } | null;
  /** How the tax in the totals was found; `included`: the prices contain it (it is not added to the total). */
  tax: {
    included: boolean;
    regionCode: string | null;
    provider: string | null;
    rounding: "line" | "total" | null;
    shipping: { rateBp: number; taxableMinor: number; taxMinor: number } | null;
    rates: { rateBp: number; netMinor: number; taxMinor: number }[];
  };
  shippingAddress: ShippingAddress;
  notes: string | null;
  reservationId: string;
  holdExpiresAt: string;
  payment: {
    id: string;
    status: string;
    methodId: string | null;
    amountMinor: number;
    capturedMinor: number;
    refundedMinor: number;
    failureReason: string | null;
  } | null;
  shipment: { id: string; status: string; carrier: string; trackingNumber: string; trackingUrl: string | null } | null;
  cancellation: { reason: string; refundMinor: number } | null;
  timeline: { status: OrderStatus; at: string; note: string | null }[];
  steps: { step: StepName; state: StepState; attempts: number; error: string | null }[];
  createdAt: string;
  updatedAt: string;
}

export const iso = (d: Date | string) => (typeof d === "string" ? new Date(d).toISOString() : d.toISOString());

export const totalsOf = (o: OrderRow): OrderView["totals"] => ({
  currency: o.currency,
  itemCount: o.itemCount,
  subtotalMinor: o.subtotalMinor,
  discountMinor: o.discountMinor,
  shippingMinor: o.shippingMinor,
  taxMinor: o.taxMinor,
  totalMinor: o.totalMinor,
});

/** The order without its payment and shipment (known only to those families). */
export function baseView(b: OrderBundle): OrderView {
  const o = b.order;
  return {
    id: o.id,
    number: o.number,
    userId: o.userId,
    status: o.status,
    currency: o.currency,
    lines: b.lines.map((l) => ({
      lineNo: l.lineNo,
      sku: l.sku,
      productId: l.productId,
      variantId: l.variantId,
      name: l.name,
      options: l.options,
      quantity: l.quantity,
      unitBaseMinor: l.unitBaseMinor,
      unitDiscountMinor: l.unitDiscountMinor,
      unitPriceMinor: l.unitPriceMinor,
      lineTotalMinor: l.lineTotalMinor,
      discountName: l.discountName,
      taxRateBp: l.taxRateBp,
      taxMinor: l.taxMinor,
      unitPaidMinor: unitPaidMinor(l, o.taxIncluded),
    })),
    promotion: o.promotionCode ? { code: o.promotionCode, discountMinor: o.promotionDiscountMinor } : null,
    tax: { included: o.taxIncluded, ...(o.taxDetail ?? { regionCode: null, provider: null, rounding: null, shipping: null, rates: [] }) },
    totals: totalsOf(o),
    shippingAddress: o.shippingAddress as ShippingAddress,
    notes: o.notes,
    reservationId: o.reservationId,
    holdExpiresAt: iso(o.holdExpiresAt),
    payment: null,
    shipment: null,
    cancellation: o.cancelReason ? { reason: o.cancelReason, refundMinor: o.refundMinor ?? 0 } : null,
    timeline: b.timeline.map((t) => ({ status: t.status, at: iso(t.at), note: t.note })),
    // In the saga's order, whatever order the rows came back in, so two answers about one order compare equal.
    steps: Object.values(b.log)
      .sort((x, y) => SAGA_STEPS.indexOf(x.step) - SAGA_STEPS.indexOf(y.step))
      .map((s) => ({ step: s.step, state: s.state, attempts: s.attempts, error: s.error })),
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
  };
}

/** The whole view: the payment (once one was asked for) and the shipment (once one was) come from their families. */
export async function presentOrder(db: Database, b: OrderBundle): Promise<OrderView> {
  const view = baseView(b);
  const o = b.order;
  // Both at once: one round trip to the database's HTTP endpoint.
  const [payment, shipment] = await Promise.all([
    o.paymentId ? getPayment(db, o.paymentId) : b.log.authorized ? paymentsForOrder(db, o.id).then((all) => all[0] ?? null) : null,
    o.shipmentId || b.log.shipment_created ? shipmentForOrder(db, o.id) : null,
  ]);
  if (payment)
    view.payment = {
      id: payment.id,
      status: payment.status,
      methodId: o.paymentMethodId,
      amountMinor: payment.amountMinor,
      capturedMinor: payment.capturedMinor,
      refundedMinor: payment.refundedMinor,
      failureReason: payment.failureReason,
    };
  if (shipment)
    view.shipment = {
      id: shipment.id,
      status: shipment.status,
      carrier: shipment.carrier,
      trackingNumber: shipment.trackingNumber,
      trackingUrl: shipment.trackingUrl,
    };
  return view;
}

// ---- answers

/** What the object answers: stored as data (replayed to repeats), so a problem carries its code as a string. */
export type Answer =
  | { status: 200 | 201 | 202; order: OrderView }
  | { status: number; error: { code: string; detail: string; extras: Record<string, unknown> } };

export function errorAnswer(err: ApiError): Answer {
  const { headers: _headers, ...extras } = err.extras;
  return { status: err.status, error: { code: err.code, detail: err.message, extras } };
}

/** The confirm's answer, from where the saga left the order. */
export function confirmAnswer(view: OrderView): Answer {
  switch (view.status) {
    case "confirmed":
    case "shipped":
    case "delivered":
      return { status: 200, order: view };
    case "cancelling":
    case "cancelled": {
      const reason = view.cancellation?.reason ?? "merchant";
      if (reason === "payment_failed") {
        const failure = view.payment?.failureReason ?? "processing_error";
        return errorAnswer(
          new ApiError(
            PaymentErrors.PAYMENT_DECLINED,
            `The payment was not accepted (${failure}); the order was cancelled and its stock released`,
            { reason: failure, orderId: view.id, order: view },
          ),
        );
      }
      if (reason === "expired")
        return errorAnswer(
          new ApiError(OrderErrors.ORDER_EXPIRED, "The order's stock hold lapsed before it was confirmed; the order was cancelled", {
            orderId: view.id,
            order: view,
          }),
        );
      return errorAnswer(
        new ApiError(OrderErrors.ORDER_CANCELLED, `The order was cancelled (${reason})`, { reason, orderId: view.id, order: view }),
      );
    }
    default:
      // confirming (a retry is planned) or awaiting_payment (the provider settles later).
      return { status: 202, order: view };
  }
}

/** Answers a repeat may replay as they are: the saga had reached an outcome. */
export const isSettledAnswer = (a: Answer): boolean => a.status !== 202 && a.status < 500;
