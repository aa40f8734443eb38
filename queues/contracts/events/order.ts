/**
 * Order events (topic `order`), defined ahead of the order family so that
 * consumers (notifications, audit, analytics) can be built against them.
 * The order family emits each one in the transaction of the change it
 * announces. Payloads carry ids, the customer-facing order number and
 * amounts in minor units with their currency; no addresses or names.
 */
import { z } from "zod";
import { defineEvent } from "../../../workers/platform/event-contracts.ts";
import { currency, minor, orderNumber } from "./commerce-fields.ts";

export const OrderCreated = defineEvent({
  type: "OrderCreated",
  version: 1,
  topic: "order",
  description: "A customer placed an order (payment not yet confirmed). Carries its lines for the order summary.",
  payload: z.object({
    orderId: z.string(),
    orderNumber,
    userId: z.string(),
    lines: z
      .array(
        z.object({
          sku: z.string(),
          productId: z.string(),
          name: z.string(),
          quantity: z.number().int().positive(),
          unitPriceMinor: minor,
        }),
      )
      .min(1),
    subtotalMinor: minor,
    discountMinor: minor,
    shippingMinor: minor,
    taxMinor: minor,
    totalMinor: minor,
    currency,
    /** ISO 3166-1 alpha-2 of the shipping address: the region of sales figures, not an address. */
    shippingCountry: z.string().regex(/^[A-Z]{2}$/),
  }),
});

export const OrderConfirmed = defineEvent({
  type: "OrderConfirmed",
  version: 1,
  topic: "order",
  description: "Payment for an order was authorised and its stock committed: the order will be fulfilled.",
  payload: z.object({ orderId: z.string(), orderNumber, userId: z.string(), totalMinor: minor, currency }),
});

export const OrderCompleted = defineEvent({
  type: "OrderCompleted",
  version: 1,
  topic: "order",
  description: "Every shipment of a confirmed order was delivered: the order is fulfilled.",
  payload: z.object({
    orderId: z.string(),
    orderNumber,
    userId: z.string(),
    totalMinor: minor,
    currency,
    completedAt: z.iso.datetime({ offset: true }),
  }),
});

/** Why an order was cancelled; `checkout_interrupted` and `fulfilment_failed` are the saga giving up before or after the money was taken. */
export const ORDER_CANCEL_REASONS = [
  "customer_request",
  "payment_failed",
  "out_of_stock",
  "fraud_suspected",
  "expired",
  "merchant",
  "checkout_interrupted",
  "fulfilment_failed",
] as const;

export const OrderCancelled = defineEvent({
  type: "OrderCancelled",
  version: 1,
  topic: "order",
  description: "An order was cancelled; `refundMinor` is what will be refunded (0 when nothing was charged).",
  payload: z.object({
    orderId: z.string(),
    orderNumber,
    userId: z.string(),
    reason: z.enum(ORDER_CANCEL_REASONS),
    refundMinor: minor,
    currency,
  }),
});

export const RETURN_REASONS = ["damaged", "wrong_item", "not_as_described", "no_longer_needed", "other"] as const;

export const ReturnInitiated = defineEvent({
  type: "ReturnInitiated",
  version: 1,
  topic: "order",
  description: "A customer started a return of (part of) an order; goods must be sent back by `returnBy`.",
  payload: z.object({
    returnId: z.string(),
    orderId: z.string(),
    orderNumber,
    userId: z.string(),
    reason: z.enum(RETURN_REASONS),
    itemCount: z.number().int().positive(),
    returnBy: z.iso.date(),
  }),
});
