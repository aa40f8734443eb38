/** Request and response schemas of the catalog's timed discounts (they also make their part of the OpenAPI document). */
import { z } from "@hono/zod-openapi";
import { CategoryId, Currency, ProductId } from "./schema-fields.ts";

const discountFields = {
  name: z.string().trim().min(1).max(120),
  kind: z.enum(["percentage", "fixed"]),
  percentBp: z.number().int().min(1).max(10_000).nullable().openapi({ description: "Percentage discounts: basis points, 1250 = 12.5 %" }),
  amountMinor: z.number().int().min(1).max(2_000_000_000).nullable().openapi({ description: "Fixed discounts: minor units off each unit" }),
  currency: Currency.nullable(),
  scope: z.enum(["product", "category", "all"]),
  productId: ProductId.nullable(),
  categoryId: CategoryId.nullable(),
  startsAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
  endsAt: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .nullable(),
};

export const DiscountCreate = z
  .object({
    ...discountFields,
    percentBp: discountFields.percentBp.default(null),
    amountMinor: discountFields.amountMinor.default(null),
    currency: discountFields.currency.default(null),
    productId: discountFields.productId.default(null),
    categoryId: discountFields.categoryId.default(null),
    startsAt: discountFields.startsAt.optional().openapi({ description: "Defaults to now" }),
    endsAt: discountFields.endsAt.default(null).openapi({ description: "Exclusive; null for no end" }),
  })
  .strict()
  .openapi("DiscountCreate");
export const DiscountPatch = z.object(discountFields).partial().strict().openapi("DiscountPatch");

export const DiscountSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(["percentage", "fixed"]),
    percentBp: z.number().int().nullable(),
    amountMinor: z.number().int().nullable(),
    currency: z.string().nullable(),
    scope: z.enum(["product", "category", "all"]),
    productId: z.string().nullable(),
    categoryId: z.string().nullable(),
    startsAt: z.string(),
    endsAt: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Discount");
