/** Request and response schemas of the order routes (validation and OpenAPI from one source). */
import { z } from "@hono/zod-openapi";
import { SAGA_STEPS, STEP_STATES } from "../../db/schema/orders.ts";
import { ORDER_STATUSES } from "../../durable-objects/order/index.ts";
import { ORDER_CANCEL_REASONS } from "../../queues/contracts/events/order.ts";
import { ShippingAddressSchema } from "../delivery/index.ts";
import { cursorParam, LimitQuery } from "../platform/http-schemas.ts";
import { MAX_CODES_PER_CART } from "../promotions/index.ts";

export const OrderId = z.string().regex(/^ord_[0-9A-HJKMNP-TV-Z]{26}$/, "an order id (ord_…)");
export const OrderParam = z.object({
  id: OrderId.openapi({ param: { name: "id", in: "path" }, example: "ord_01JB8ZQ1V6R2X3Y4Z5A6B7C8D9" }),
});
const Sku = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "letters, digits, '.', '_' or '-', at most 64");
const minor = z.number().int().nonnegative();
const PromotionCode = z.string().regex(/^[A-Za-z0-9_-]{3,40}$/, "3 to 40 letters, digits, '_' or '-'");

export const IdempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({
      param: { name: "idempotency-key", in: "header" },
      description: "A repeat with the same key and body gets the first answer; with another body, 422 IDEMPOTENCY_KEY_REUSED",
    }),
});

export const CreateOrderBody = z
  .object({
    shippingAddress: ShippingAddressSchema,
    lines: z
      .array(z.object({ sku: Sku, quantity: z.number().int().min(1).max(1000) }).strict())
      .min(1)
      .max(50)
      .optional()
      .openapi({ description: "The order's lines; without them, the caller's cart (which is emptied of what was ordered)" }),
    notes: z.string().max(500).optional(),
    promotionCode: PromotionCode.optional().openapi({
      description: "One promotion code (re-validated when the order is placed); the same as `promotionCodes: [code]`",
    }),
    promotionCodes: z
      .array(PromotionCode)
      .min(1)
      .max(MAX_CODES_PER_CART)
      .optional()
      .openapi({
        description: `Up to ${MAX_CODES_PER_CART} promotion codes, each re-validated when the order is placed and stacked by the cart's rules (priority, combinable); every code given must apply, so a duplicate, a code that does not apply, or one the stacking rules set aside is a 422. Not with \`promotionCode\`. Without either, the cart's codes.`,
      }),
  })
  .strict()
  .openapi("CreateOrder");

export const ConfirmQuery = z.object({
  paymentMethodId: z
    .string()
    .regex(/^pm_[A-Za-z0-9_]{1,100}$/, "a payment method id (pm_…)")
    .openapi({
      example: "pm_card_visa",
      description:
        "Sandbox: pm_card_visa approves, pm_card_declined / pm_card_insufficient_funds / pm_card_expired are refused, pm_card_timeout never answers, pm_card_async settles by webhook, pm_card_capture_fails refuses the capture",
    }),
});

export const CancelBody = z
  .object({
    reason: z.enum(ORDER_CANCEL_REASONS).optional().openapi({ description: "Staff only; a customer's cancel is always customer_request" }),
  })
  .strict()
  .openapi("CancelOrderRequest");

export const ListQuery = z.object({
  userId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: "Support and admin: another user's orders; without it they list everyone's" }),
  status: z.enum(ORDER_STATUSES).optional(),
  number: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9-]+$/, "letters, digits and '-'")
    .optional()
    .openapi({
      description: "An order number or its beginning, in any case (`ec-2026-0001` finds EC-2026-000123)",
      example: "EC-2026-000123",
    }),
  from: z.iso.date().optional().openapi({ description: "Placed on or after this UTC day" }),
  to: z.iso.date().optional().openapi({ description: "Placed on or before this UTC day" }),
  limit: LimitQuery,
  cursor: cursorParam,
});

const TotalsSchema = z
  .object({
    currency: z.string(),
    itemCount: z.number().int(),
    subtotalMinor: minor,
    discountMinor: minor,
    shippingMinor: minor,
    taxMinor: minor.openapi({ description: "0 for now: prices are tax-inclusive" }),
    totalMinor: minor,
  })
  .openapi("OrderTotals");

export const OrderSchema = z
  .object({
    id: z.string(),
    number: z.string().openapi({ example: "EC-2026-000123" }),
    userId: z.string(),
    status: z.enum(ORDER_STATUSES),
    currency: z.string(),
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        sku: z.string(),
        productId: z.string(),
        variantId: z.string(),
        name: z.string(),
        options: z.record(z.string(), z.string()),
        quantity: z.number().int(),
        unitBaseMinor: minor,
        unitDiscountMinor: minor,
        unitPriceMinor: minor,
        lineTotalMinor: minor,
        discountName: z.string().nullable(),
        taxRateBp: z.number().int().openapi({ description: "The line's tax rate in basis points (1900 = 19 %)" }),
        taxMinor: minor.openapi({ description: "The line's tax: inside lineTotalMinor when tax.included, on top of it otherwise" }),
        unitPaidMinor: minor.openapi({
          description: "What one unit cost the customer, tax included: what a shipment records for the line and a return refunds per unit",
        }),
      }),
    ),
    totals: TotalsSchema,
    promotion: z
      .object({ code: z.string(), discountMinor: minor })
      .nullable()
      .openapi({ description: "The promotion code applied and what it took off (lines, or the shipping it waived)" }),
    tax: z
      .object({
        included: z.boolean(),
        regionCode: z.string().nullable(),
        provider: z.string().nullable(),
        rounding: z.enum(["line", "total"]).nullable(),
        shipping: z.object({ rateBp: z.number().int(), taxableMinor: minor, taxMinor: minor }).nullable(),
        rates: z.array(z.object({ rateBp: z.number().int(), netMinor: minor, taxMinor: minor })),
      })
      .openapi({ description: "The destination's tax: region, provider, rounding, shipping's tax and the totals per rate" }),
    shippingAddress: ShippingAddressSchema,
    notes: z.string().nullable(),
    reservationId: z.string(),
    holdExpiresAt: z
      .string()
      .openapi({ description: "When the stock hold of a pending order lapses (the order is then cancelled as expired)" }),
    payment: z
      .object({
        id: z.string(),
        status: z.string(),
        methodId: z.string().nullable(),
        amountMinor: minor,
        capturedMinor: minor,
        refundedMinor: minor,
        failureReason: z.string().nullable(),
      })
      .nullable(),
    shipment: z
      .object({ id: z.string(), status: z.string(), carrier: z.string(), trackingNumber: z.string(), trackingUrl: z.string().nullable() })
      .nullable(),
    cancellation: z.object({ reason: z.string(), refundMinor: minor }).nullable(),
    timeline: z.array(z.object({ status: z.enum(ORDER_STATUSES), at: z.string(), note: z.string().nullable() })),
    steps: z
      .array(z.object({ step: z.enum(SAGA_STEPS), state: z.enum(STEP_STATES), attempts: z.number().int(), error: z.string().nullable() }))
      .openapi({ description: "The checkout saga's steps and compensations" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Order");

export const OrderSummarySchema = z
  .object({
    id: z.string(),
    number: z.string(),
    userId: z.string(),
    status: z.enum(ORDER_STATUSES),
    totals: TotalsSchema,
    lineCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("OrderSummary");

export const OrderPageSchema = z.object({ items: z.array(OrderSummarySchema), nextCursor: z.string().nullable() }).openapi("OrderPage");
