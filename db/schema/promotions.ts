/**
 * The promotions family: promotion codes with their rules and limits, and
 * one redemption per order that used a code. `uses` counts the redemptions
 * in force; it is raised under the code row's lock in the order's own
 * transaction, so the last use goes to exactly one order.
 */
import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgSchema, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { money } from "./money.ts";

export const promotionsSchema = pgSchema("promotions");

export const PROMOTION_KINDS = ["percentage", "fixed", "free_shipping", "buy_x_get_y"] as const;

export const promotionCodes = promotionsSchema.table(
  "codes",
  {
    id: text("id").primaryKey(),
    /** Upper case; what shoppers type. */
    code: text("code").notNull(),
    kind: text("kind", { enum: PROMOTION_KINDS }).notNull(),
    percentBp: integer("percent_bp"),
    amountMinor: money("amount_minor"),
    currency: text("currency"),
    minSubtotalMinor: money("min_subtotal_minor").notNull().default(0),
    /** Only these products' lines count and are discounted (empty: every product). */
    productIds: text("product_ids").array().notNull().default(sql`'{}'::text[]`),
    /** Products of these categories (or below them) are eligible too; empty with no products and brands: every product. */
    categoryIds: text("category_ids").array().notNull().default(sql`'{}'::text[]`),
    brandIds: text("brand_ids").array().notNull().default(sql`'{}'::text[]`),
    /** buy_x_get_y: buy `buyQuantity` eligible units, get `getQuantity` more (the cheapest) at `percentBp` off (10000: free). */
    buyQuantity: integer("buy_quantity"),
    getQuantity: integer("get_quantity"),
    /** Stacking: the highest priority decides; a code that is not combinable applies alone. */
    priority: integer("priority").notNull().default(0),
    combinable: boolean("combinable").notNull().default(false),
    /** Inactive codes are refused everywhere (deactivated rather than deleted: their redemptions stay). */
    active: boolean("active").notNull().default(true),
    version: integer("version").notNull().default(1),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }),
    usageLimit: integer("usage_limit"),
    perCustomerLimit: integer("per_customer_limit"),
    uses: integer("uses").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("codes_code_uq").on(t.code),
    check("codes_uses", sql`${t.uses} >= 0 and (${t.usageLimit} is null or ${t.uses} <= ${t.usageLimit})`),
    check(
      "codes_kind_value",
      sql`(${t.kind} = 'percentage' and ${t.percentBp} between 1 and 10000)
        or (${t.kind} = 'fixed' and ${t.amountMinor} > 0 and ${t.currency} is not null)
        or ${t.kind} = 'free_shipping'
        or (${t.kind} = 'buy_x_get_y' and ${t.buyQuantity} >= 1 and ${t.getQuantity} >= 1 and ${t.percentBp} between 1 and 10000)`,
    ),
  ],
);

export const promotionRedemptions = promotionsSchema.table(
  "redemptions",
  {
    orderId: text("order_id").notNull(),
    codeId: text("code_id")
      .notNull()
      .references(() => promotionCodes.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    discountMinor: money("discount_minor").notNull(),
    currency: text("currency").notNull(),
    /** held: the order stands; released: it was cancelled before payment and the use went back. */
    status: text("status", { enum: ["held", "released"] }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    releasedAt: timestamp("released_at", { withTimezone: true }),
  },
  // One redemption per code an order used (stacked codes: several per order).
  (t) => [primaryKey({ columns: [t.orderId, t.codeId] }), index("redemptions_code_user_idx").on(t.codeId, t.userId)],
);
