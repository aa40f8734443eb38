/** Request and response schemas of the promotions admin routes (validation and OpenAPI from one source). */
import { z } from "@hono/zod-openapi";
import { PROMOTION_KINDS } from "../../db/schema/promotions.ts";

const Minor = z.number().int().min(0).max(999_999_999_999);
const Count = z.number().int().min(1).max(10_000_000);
const Ids = (prefix: string) =>
  z
    .array(z.string().regex(new RegExp(`^${prefix}_[0-9A-Z]{26}$`)))
    .max(500)
    .default([]);
const Instant = z.iso.datetime({ offset: true });

export const CodeIdParam = z.object({ id: z.string().regex(/^prm_[0-9A-Z]{26}$/) });

export const CodeCreate = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_-]{3,40}$/, "3 to 40 letters, digits, - or _"),
    kind: z.enum(PROMOTION_KINDS),
    percentBp: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .nullable()
      .default(null)
      .openapi({ description: "percentage: basis points off the eligible lines; buy_x_get_y: off each unit given (10000: free)" }),
    amountMinor: Minor.nullable().default(null).openapi({ description: "fixed: minor units off the order" }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .nullable()
      .default(null),
    minSubtotalMinor: Minor.default(0),
    productIds: Ids("prd"),
    categoryIds: Ids("cat").openapi({ description: "Products of these categories or below them are eligible" }),
    brandIds: Ids("brd"),
    buyQuantity: z.number().int().min(1).max(1000).nullable().default(null).openapi({ description: "buy_x_get_y: units to buy" }),
    getQuantity: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .nullable()
      .default(null)
      .openapi({ description: "buy_x_get_y: units given (the cheapest)" }),
    priority: z.number().int().min(-1000).max(1000).default(0).openapi({ description: "Among several codes, the highest decides" }),
    combinable: z.boolean().default(false).openapi({ description: "Applies together with other combinable codes; otherwise alone" }),
    startsAt: Instant.optional(),
    endsAt: Instant.nullable().default(null),
    usageLimit: Count.nullable().default(null).openapi({ description: "Uses in all; null: unlimited" }),
    perCustomerLimit: Count.nullable().default(null),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.kind === "percentage" || v.kind === "buy_x_get_y") && v.percentBp === null)
      ctx.addIssue({ code: "custom", path: ["percentBp"], message: `required for ${v.kind}` });
    if (v.kind === "fixed" && (v.amountMinor === null || v.amountMinor === 0 || v.currency === null))
      ctx.addIssue({ code: "custom", path: ["amountMinor"], message: "a positive amount and its currency are required for fixed" });
    if (v.kind === "buy_x_get_y" && (v.buyQuantity === null || v.getQuantity === null))
      ctx.addIssue({ code: "custom", path: ["buyQuantity"], message: "buyQuantity and getQuantity are required for buy_x_get_y" });
    if (v.endsAt && v.startsAt && v.endsAt <= v.startsAt)
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must be after startsAt" });
  })
  .openapi("PromotionCodeCreate");

export const CodeChange = z
  .object({
    startsAt: Instant,
    endsAt: Instant.nullable(),
    usageLimit: Count.nullable().openapi({ description: "Not below the uses already taken (409 otherwise)" }),
    perCustomerLimit: Count.nullable(),
    minSubtotalMinor: Minor,
    priority: z.number().int().min(-1000).max(1000),
    combinable: z.boolean(),
    active: z.boolean(),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "name at least one field to change" })
  .openapi("PromotionCodeChange");

export const CodeSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    kind: z.enum(PROMOTION_KINDS),
    percentBp: z.number().int().nullable(),
    amountMinor: z.number().int().nullable(),
    currency: z.string().nullable(),
    minSubtotalMinor: z.number().int(),
    productIds: z.array(z.string()),
    categoryIds: z.array(z.string()),
    brandIds: z.array(z.string()),
    buyQuantity: z.number().int().nullable(),
    getQuantity: z.number().int().nullable(),
    priority: z.number().int(),
    combinable: z.boolean(),
    active: z.boolean(),
    version: z.number().int(),
    startsAt: z.string(),
    endsAt: z.string().nullable(),
    usageLimit: z.number().int().nullable(),
    perCustomerLimit: z.number().int().nullable(),
    uses: z.number().int(),
    createdAt: z.string(),
  })
  .openapi("PromotionCode");

export const UsageSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    uses: z.number().int(),
    usageLimit: z.number().int().nullable(),
    redemptions: z.array(
      z.object({
        status: z.enum(["held", "released"]),
        currency: z.string(),
        orders: z.number().int(),
        customers: z.number().int(),
        discountMinor: z.number().int(),
      }),
    ),
  })
  .openapi("PromotionUsage");
