/**
 * Payment events (topic `payment`), defined ahead of the payment family.
 * Amounts are minor units with their currency; card data never appears, only
 * a reason code a customer can act on.
 */
import { z } from "zod";
import { defineEvent } from "../../../workers/platform/event-contracts.ts";
import { currency, minor, orderNumber } from "./commerce-fields.ts";

export const PaymentProcessed = defineEvent({
  type: "PaymentProcessed",
  version: 1,
  topic: "payment",
  description: "The provider authorised, or captured, the payment of an order (`stage` says which).",
  payload: z.object({
    paymentId: z.string(),
    orderId: z.string(),
    orderNumber,
    userId: z.string(),
    amountMinor: minor,
    currency,
    provider: z.string().min(1).max(40),
    stage: z.enum(["authorized", "captured"]),
  }),
});

export const PAYMENT_FAILURE_REASONS = [
  "card_declined",
  "insufficient_funds",
  "expired_card",
  "authentication_required",
  "processing_error",
  "fraud_suspected",
] as const;

export const PaymentFailed = defineEvent({
  type: "PaymentFailed",
  version: 1,
  topic: "payment",
  description: "Authorising or capturing the payment of an order failed; `retryable` says whether the customer may try again.",
  payload: z.object({
    paymentId: z.string(),
    orderId: z.string(),
    orderNumber,
    userId: z.string(),
    amountMinor: minor,
    currency,
    reason: z.enum(PAYMENT_FAILURE_REASONS),
    retryable: z.boolean(),
  }),
});

export const REFUND_REASONS = ["order_cancelled", "return_received", "goodwill", "duplicate_charge"] as const;

export const RefundIssued = defineEvent({
  type: "RefundIssued",
  version: 1,
  topic: "payment",
  description: "Money was refunded to the customer's payment method.",
  payload: z.object({
    refundId: z.string(),
    paymentId: z.string(),
    orderId: z.string(),
    orderNumber,
    userId: z.string(),
    amountMinor: minor.refine((n) => n > 0, "must be positive"),
    currency,
    reason: z.enum(REFUND_REASONS),
  }),
});
