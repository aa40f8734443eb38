/** Request and response schemas of the payments routes (OpenAPI from the same zod). */
import { z } from "@hono/zod-openapi";
import { PAYMENT_STATUSES } from "../../db/schema/payments.ts";
import { PAYMENT_FAILURE_REASONS, REFUND_REASONS } from "../../queues/contracts/events/payment.ts";
import { cursorParam, LimitQuery } from "../platform/http-schemas.ts";

const Id = (prefix: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .openapi({ example: `${prefix}_01J9ZQ4K8T6V3N2M1B0C9X8W7Y` });
const Minor = z.number().int().positive().max(1_000_000_000_00).openapi({ description: "Amount in minor units (cents)", example: 4999 });
const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, "ISO 4217 code in capitals")
  .openapi({ example: "EUR" });

export const PaymentSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    userId: z.string(),
    provider: z.string(),
    providerPaymentId: z.string().nullable(),
    amountMinor: z.number().int(),
    currency: z.string(),
    capturedMinor: z.number().int(),
    refundedMinor: z.number().int(),
    status: z.enum(PAYMENT_STATUSES),
    failureReason: z.enum(PAYMENT_FAILURE_REASONS).nullable(),
    retryable: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Payment");

export const RefundSchema = z
  .object({
    id: z.string(),
    paymentId: z.string(),
    amountMinor: z.number().int(),
    currency: z.string(),
    reason: z.enum(REFUND_REASONS),
    status: z.enum(["succeeded", "pending", "failed"]),
    createdAt: z.string(),
  })
  .openapi("Refund");

export const PaymentWithRefundsSchema = PaymentSchema.extend({ refunds: z.array(RefundSchema) }).openapi("PaymentWithRefunds");
export const PaymentPageSchema = z.object({ items: z.array(PaymentSchema), nextCursor: z.string().nullable() }).openapi("PaymentPage");

const key = z.string().min(1).max(200);
export const RequiredKeyHeader = z.object({
  "idempotency-key": key.openapi({
    param: { name: "idempotency-key", in: "header" },
    description: "Idempotency-Key: a repeat with the same key returns the first outcome and never charges twice",
  }),
});
export const OptionalKeyHeader = z.object({
  "idempotency-key": key.optional().openapi({
    param: { name: "idempotency-key", in: "header" },
    description: "Idempotency-Key; the operation happens at most once per payment either way",
  }),
});

export const AuthorizeBody = z
  .object({
    orderId: Id("ord"),
    orderNumber: z.string().min(1).max(40),
    userId: Id("usr"),
    amountMinor: Minor,
    currency: Currency,
    paymentMethodId: z.string().min(1).max(100).openapi({ example: "pm_card_visa" }),
  })
  .openapi("AuthorizePayment", {
    example: {
      orderId: "ord_01JB8ZK3M4N5P6Q7R8S9T0V1W2",
      orderNumber: "EC-2026-000123",
      userId: "usr_01JB8ZK3M4N5P6Q7R8S9T0V1W2",
      amountMinor: 15480,
      currency: "EUR",
      paymentMethodId: "pm_card_visa",
    },
  });

export const PaymentRef = z.object({ paymentId: Id("pay") }).openapi("PaymentRef");

export const RefundBody = z.object({ paymentId: Id("pay"), amountMinor: Minor, reason: z.enum(REFUND_REASONS) }).openapi("RefundPayment");

export const PaymentIdParam = z.object({ id: Id("pay").openapi({ param: { name: "id", in: "path" } }) });

export const ListQuery = z.object({
  orderId: z.string().min(1).max(64).optional(),
  userId: z.string().min(1).max(64).optional().openapi({ description: "Staff only; customers always see their own" }),
  cursor: cursorParam,
  limit: LimitQuery,
});

export const ProviderParam = z.object({
  provider: z
    .string()
    .min(1)
    .max(20)
    .openapi({ param: { name: "provider", in: "path" }, example: "stripe" }),
});

export const WebhookResultSchema = z
  .object({
    received: z.literal(true),
    eventId: z.string(),
    outcome: z.enum(["applied", "unchanged", "stale", "duplicate", "unmatched", "ignored"]),
    paymentId: z.string().nullable(),
  })
  .openapi("PaymentWebhookResult");
