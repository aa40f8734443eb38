/** Request and response schemas of the cart routes (validation and OpenAPI from one source). */
import { z } from "@hono/zod-openapi";

export const Sku = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "letters, digits, '.', '_' or '-', at most 64")
  .openapi({ example: "ELE-AUD-0001-BLK" });
export const SkuParam = z.object({ sku: Sku.openapi({ param: { name: "sku", in: "path" } }) });

// The configured per-line limit is enforced by the cart itself (409 CART_QUANTITY_LIMIT); this only bounds the input.
export const AddItemBody = z
  .object({ sku: Sku, quantity: z.number().int().min(1).max(10_000) })
  .strict()
  .openapi("AddCartItem");
export const UpdateItemBody = z
  .object({ quantity: z.number().int().min(0).max(10_000).openapi({ description: "0 removes the line" }) })
  .strict()
  .openapi("UpdateCartItem");

export const RestoreBody = z
  .object({ token: z.string().min(1).max(16_100).openapi({ description: "The token of a cart reminder's restore link" }) })
  .strict()
  .openapi("RestoreCart");

const PromotionCode = z.string().regex(/^[A-Za-z0-9_-]{3,40}$/, "3 to 40 letters, digits, - or _");
export const ApplyCodeBody = z
  .object({ code: PromotionCode.openapi({ example: "SPRING10" }) })
  .strict()
  .openapi("ApplyCartPromotion");
export const CodeParam = z.object({ code: PromotionCode.openapi({ param: { name: "code", in: "path" } }) });

const money = z.number().int();
const count = z.number().int().nonnegative();

const UnitPriceSchema = z.object({
  currency: z.string(),
  baseMinor: money,
  unitPriceMinor: money,
  discountMinor: money,
  compareAtMinor: money.nullable(),
  discount: z
    .object({
      id: z.string(),
      name: z.string(),
      kind: z.enum(["percentage", "fixed"]),
      percentBp: z.number().nullable(),
      amountMinor: z.number().nullable(),
    })
    .nullable(),
});

export const CartLineSchema = z
  .object({
    sku: z.string(),
    quantity: z.number().int().positive(),
    productId: z.string().nullable(),
    productName: z.string().nullable(),
    options: z.record(z.string(), z.string()),
    sellable: z.boolean().openapi({ description: "False when the product is no longer for sale (or the SKU left the catalogue)" }),
    unitPrice: UnitPriceSchema.nullable().openapi({ description: "The catalogue's current unit price, discounts applied" }),
    addedUnitPriceMinor: money.openapi({ description: "The unit price when the line was added or last changed" }),
    priceChanged: z.boolean().openapi({ description: "The current unit price differs from addedUnitPriceMinor" }),
    lineTotalMinor: money.nullable(),
    available: count.openapi({
      description:
        "Units of the SKU available now (the cart does not hold stock; other lines read from the stock projection, a moment behind)",
    }),
    insufficientStock: z.boolean().openapi({ description: "The line asks for more than is available now" }),
    addedAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("CartLine");

export const CartSchema = z
  .object({
    cartId: z.string().nullable().openapi({ description: "Null for a cart nothing was ever added to" }),
    owner: z.enum(["user", "guest"]),
    version: count,
    lines: z.array(CartLineSchema),
    totals: z
      .array(z.object({ currency: z.string(), itemCount: count, subtotalMinor: money, discountMinor: money }))
      .openapi({ description: "Per currency, over sellable lines" }),
    itemCount: count,
    priceChanged: z.boolean().openapi({ description: "Some line's price changed since it was added" }),
    promotions: z
      .array(
        z.object({
          code: z.string(),
          applies: z.boolean(),
          discountMinor: money.openapi({ description: "Off the lines now, with the codes chosen together" }),
          freeShipping: z.boolean(),
          reason: z.string().nullable().openapi({ description: "Why the code does not apply now (it stays on the cart)" }),
        }),
      )
      .openapi({ description: "The promotion codes on the cart, each with what it takes off now or why it stopped applying" }),
    promotionDiscountMinor: money.openapi({
      description: "What the codes take off the lines together (a free shipping waiver shows at checkout)",
    }),
    expiresAt: z.string().nullable().openapi({ description: "When the cart expires if nothing changes it" }),
    merged: z
      .array(
        z.object({
          sku: z.string(),
          requested: count,
          kept: count,
          reason: z.enum(["QUANTITY_LIMIT", "INSUFFICIENT_STOCK", "LINE_LIMIT"]),
        }),
      )
      .optional()
      .openapi({ description: "Present when a guest cart was merged by this request: the lines that could not be taken in full" }),
    provisional: z
      .object({ reason: z.literal("database_unavailable"), message: z.string() })
      .optional()
      .openapi({ description: "Present while the catalogue cannot be asked: prices are the last known and are confirmed at checkout" }),
  })
  .openapi("Cart");
export type CartBody = z.infer<typeof CartSchema>;

export const CartTaxQuery = z.strictObject({
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, "an ISO 3166-1 alpha-2 country code")
    .openapi({ example: "DE" }),
  region: z
    .string()
    .regex(/^[A-Za-z0-9]{1,3}$/, "a state or region code such as CA")
    .optional()
    .openapi({ example: "CA" }),
});

export const CartTaxSchema = z
  .object({
    country: z.string(),
    region: z.string().nullable(),
    currency: z.string().nullable().openapi({ description: "Null for an empty cart" }),
    regionCode: z
      .string()
      .nullable()
      .openapi({ description: "The tax region whose rules applied (DE, US-CA); null: the destination is not taxed" }),
    pricesIncludeTax: z.boolean().openapi({ description: "Whether the tax is inside the prices (EU) or added on top (US)" }),
    lines: z.array(
      z.object({
        sku: z.string(),
        amountMinor: z.number().int().openapi({ description: "What the line comes to after the cart's promotion codes" }),
        rateBp: z.number().int(),
        taxMinor: z.number().int(),
      }),
    ),
    amountMinor: z.number().int(),
    taxMinor: z.number().int(),
    totalMinor: z.number().int().openapi({ description: "The lines with their tax; shipping and its tax are added at checkout" }),
  })
  .openapi("CartTaxEstimate");
export type CartTaxBody = z.infer<typeof CartTaxSchema>;
