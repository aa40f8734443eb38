/**
 * The orders family: orders with their priced lines, the status timeline,
 * and the checkout saga's step log. Each order's Durable Object is the only
 * writer of its rows; it writes a change and the event announcing it in one
 * transaction. The step log is the saga's memory: a step is recorded as
 * started before its side effect is requested and as done (with the ids it
 * produced) after, so a run cut short anywhere resumes from here.
 * Users, products, payments and shipments are referred to by id only.
 */
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  index,
  integer,
  json,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { money } from "./money.ts";

export const ordersSchema = pgSchema("orders");

/** Customer-facing order numbers (`EC-<year>-<6 digits>`). */
export const orderNumberSeq = ordersSchema.sequence("order_number_seq", { startWith: 1, increment: 1 });

export const ORDER_STATUSES = [
  "pending",
  "confirming",
  "awaiting_payment",
  "confirmed",
  "shipped",
  "delivered",
  "cancelling",
  "cancelled",
] as const;

/** A stored answer to an idempotent request (the order, or a problem), with its status: what a repeat gets again, byte for byte (json keeps the key order, jsonb would not). */
export type StoredAnswer = { status: number; [field: string]: unknown };

export interface OrderTaxDetail {
  regionCode: string | null;
  provider: string;
  rounding: "line" | "total";
  shipping: { rateBp: number; taxableMinor: number; taxMinor: number } | null;
  rates: { rateBp: number; netMinor: number; taxMinor: number }[];
}

export const orders = ordersSchema.table(
  "orders",
  {
    id: text("id").primaryKey(),
    number: text("number").notNull(),
    /** The customer's account, or a guest marker (`gst_…`) until a verified account with the guest's email claims the order. */
    userId: text("user_id").notNull(),
    /** A guest order's email address (mails, the signed lookup link, number + email lookup, the claim); null for a signed-in customer's. */
    guestEmail: text("guest_email"),
    /** The language of a guest order's mails (one the mail templates support); null for a signed-in customer's (their account's). */
    guestLocale: text("guest_locale"),
    status: text("status", { enum: ORDER_STATUSES }).notNull(),
    /** Bumped by every write: writes are conditional on the version read. */
    version: integer("version").notNull().default(1),
    currency: text("currency").notNull(),
    subtotalMinor: money("subtotal_minor").notNull(),
    discountMinor: money("discount_minor").notNull(),
    shippingMinor: money("shipping_minor").notNull(),
    taxMinor: money("tax_minor").notNull(),
    /** Prices were tax-inclusive at the destination: the tax is part of the lines, not added to the total. */
    taxIncluded: boolean("tax_included").notNull().default(false),
    /** How the tax was found: region, provider, rounding, shipping's tax and the totals per rate (null: untaxed). */
    taxDetail: jsonb("tax_detail").$type<OrderTaxDetail>(),
    totalMinor: money("total_minor").notNull(),
    /** The promotion code the order used and what it took off (part of discountMinor, or the shipping it waived). */
    promotionCode: text("promotion_code"),
    promotionDiscountMinor: money("promotion_discount_minor").notNull().default(0),
    itemCount: integer("item_count").notNull(),
    shippingAddress: jsonb("shipping_address").notNull(),
    notes: text("notes"),
    reservationId: text("reservation_id").notNull(),
    /** When the stock hold of a pending order lapses. */
    holdExpiresAt: timestamp("hold_expires_at", { withTimezone: true }).notNull(),
    /** Idempotency of the create request: the key, the hash of its body and the first answer. */
    createKey: text("create_key"),
    createHash: text("create_hash").notNull(),
    createAnswer: json("create_answer").$type<StoredAnswer>(),
    /** Idempotency of the confirm request: key, payment method, and the first settled answer. */
    confirmKey: text("confirm_key"),
    paymentMethodId: text("payment_method_id"),
    confirmAnswer: json("confirm_answer").$type<StoredAnswer>(),
    paymentId: text("payment_id"),
    shipmentId: text("shipment_id"),
    /** Transient failures of the current step in a row, and when the saga tries again. */
    retries: integer("retries").notNull().default(0),
    retryAt: timestamp("retry_at", { withTimezone: true }),
    /** An order waiting for the provider to settle its payment is cancelled after this. */
    paymentDeadline: timestamp("payment_deadline", { withTimezone: true }),
    cancelReason: text("cancel_reason"),
    refundMinor: money("refund_minor"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("orders_number_uq").on(t.number),
    // A user's orders, newest first (the list's cursor is (created_at, id)).
    index("orders_user_created_idx").on(t.userId, t.createdAt.desc(), t.id.desc()),
    index("orders_created_idx").on(t.createdAt.desc(), t.id.desc()),
    // Guest orders by address (case-folded): the claim when an account verifies that address.
    index("orders_guest_email_idx").on(sql`lower(${t.guestEmail})`).where(sql`guest_email is not null`),
    // What the recovery job looks at: orders that should not rest where they are.
    index("orders_unsettled_idx")
      .on(t.status, t.updatedAt)
      .where(sql`status in ('pending', 'confirming', 'awaiting_payment', 'cancelling')`),
    check(
      "orders_amounts_nonnegative",
      sql`${t.subtotalMinor} >= 0 and ${t.discountMinor} >= 0 and ${t.shippingMinor} >= 0 and ${t.taxMinor} >= 0 and ${t.totalMinor} >= 0`,
    ),
  ],
);

export const orderLines = ordersSchema.table(
  "order_lines",
  {
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    lineNo: integer("line_no").notNull(),
    sku: text("sku").notNull(),
    productId: text("product_id").notNull(),
    variantId: text("variant_id").notNull(),
    name: text("name").notNull(),
    options: jsonb("options").$type<Record<string, string>>().notNull(),
    quantity: integer("quantity").notNull(),
    /** Per unit: list price, discount, and what the customer pays. */
    unitBaseMinor: money("unit_base_minor").notNull(),
    unitDiscountMinor: money("unit_discount_minor").notNull(),
    unitPriceMinor: money("unit_price_minor").notNull(),
    lineTotalMinor: money("line_total_minor").notNull(),
    discountName: text("discount_name"),
    /** The line's tax: its rate in basis points and amount (included in lineTotal, or on top of it, per the order). */
    taxRateBp: integer("tax_rate_bp").notNull().default(0),
    taxMinor: money("tax_minor").notNull().default(0),
    /** The line's share of the promotion codes' amount off (the tax is on lineTotal less this); the invoice prints it. */
    promotionDiscountMinor: money("promotion_discount_minor").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.lineNo] }), check("order_lines_quantity_positive", sql`${t.quantity} > 0`)],
);

/** Every status an order went through, oldest first. */
export const orderTimeline = ordersSchema.table(
  "order_timeline",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    status: text("status", { enum: ORDER_STATUSES }).notNull(),
    note: text("note"),
    actor: text("actor"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("order_timeline_order_idx").on(t.orderId, t.seq)],
);

export const SAGA_STEPS = [
  "reserved",
  "authorized",
  "captured",
  "committed",
  "shipment_created",
  "shipment_halted",
  "restocked",
  "released",
  "refunded",
  "voided",
] as const;
export const STEP_STATES = ["started", "done", "failed"] as const;

/** The saga's step log: one row per step of an order, moved from started to done (or failed). */
export const sagaSteps = ordersSchema.table(
  "saga_steps",
  {
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    step: text("step", { enum: SAGA_STEPS }).notNull(),
    state: text("state", { enum: STEP_STATES }).notNull(),
    attempts: integer("attempts").notNull().default(1),
    /** Ids and amounts the step produced (payment id, shipment id, refund id and amount, ...). */
    result: jsonb("result").$type<Record<string, unknown>>(),
    error: text("error"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.step] })],
);
