/**
 * The analytics family: facts and dimensions the pipeline loads from the
 * event stream, after validation and PII scrubbing. No column holds a raw
 * user id, email, phone number, name or address: customers appear only as
 * `customer_key`, a keyed hash (HMAC) of their user id. Append-only facts
 * are unique on their event id; state facts (orders, stock) are upserts that
 * commute, so redelivery and reordering never change a figure.
 */
import { sql } from "drizzle-orm";
import { bigint, boolean, date, index, integer, pgSchema, primaryKey, real, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const analyticsSchema = pgSchema("analytics");

const money = (name: string) => bigint(name, { mode: "number" });
const at = (name: string) => timestamp(name, { withTimezone: true });

/** Products as the catalogue's events describe them (the newest version wins), so sales group by category and brand without reading the catalogue. */
export const productDim = analyticsSchema.table(
  "product_dim",
  {
    productId: text("product_id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    status: text("status").notNull(),
    categoryId: text("category_id"),
    categoryName: text("category_name"),
    categoryPath: text("category_path"),
    brandId: text("brand_id"),
    brandName: text("brand_name"),
    deleted: boolean("deleted").notNull().default(false),
    version: integer("version").notNull(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [index("product_dim_slug_idx").on(t.slug)],
);

/** Which product a SKU belongs to (cart and stock events name SKUs only). */
export const skuDim = analyticsSchema.table("sku_dim", {
  sku: text("sku").primaryKey(),
  productId: text("product_id").notNull(),
  version: integer("version").notNull(),
});

/** One row per order, whatever order its events arrive in: each status time is set once and never cleared. */
export const orderFacts = analyticsSchema.table(
  "order_facts",
  {
    orderId: text("order_id").primaryKey(),
    orderNumber: text("order_number"),
    customerKey: text("customer_key"),
    currency: text("currency"),
    subtotalMinor: money("subtotal_minor"),
    discountMinor: money("discount_minor"),
    shippingMinor: money("shipping_minor"),
    taxMinor: money("tax_minor"),
    totalMinor: money("total_minor"),
    shippingCountry: text("shipping_country"),
    lineCount: integer("line_count"),
    units: integer("units"),
    createdAt: at("created_at"),
    confirmedAt: at("confirmed_at"),
    completedAt: at("completed_at"),
    cancelledAt: at("cancelled_at"),
    cancelReason: text("cancel_reason"),
    returnedAt: at("returned_at"),
    refundedMinor: money("refunded_minor").notNull().default(0),
    refundCount: integer("refund_count").notNull().default(0),
    status: text("status").generatedAlwaysAs(
      sql`case when cancelled_at is not null then 'cancelled' when completed_at is not null then 'completed' when confirmed_at is not null then 'confirmed' when created_at is not null then 'created' else 'unknown' end`,
    ),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  // Covering indexes for the reports are in the custom migration (drizzle declares no INCLUDE columns).
  (t) => [index("order_facts_customer_idx").on(t.customerKey, t.currency, t.confirmedAt)],
);

/** The lines of an order (from OrderCreated), with the order's currency and confirmation time copied in, so sales by product read one table. */
export const orderLineFacts = analyticsSchema.table(
  "order_line_facts",
  {
    orderId: text("order_id").notNull(),
    lineNo: integer("line_no").notNull(),
    eventId: text("event_id").notNull(),
    productId: text("product_id").notNull(),
    sku: text("sku").notNull(),
    quantity: integer("quantity").notNull(),
    unitPriceMinor: money("unit_price_minor").notNull(),
    lineTotalMinor: money("line_total_minor").notNull(),
    currency: text("currency").notNull(),
    createdAt: at("created_at").notNull(),
    confirmedAt: at("confirmed_at"),
    cancelledAt: at("cancelled_at"),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.lineNo] }), index("order_line_facts_event_idx").on(t.eventId)],
);

export const cartFacts = analyticsSchema.table(
  "cart_facts",
  {
    eventId: text("event_id").primaryKey(),
    cartId: text("cart_id").notNull(),
    kind: text("kind", { enum: ["added", "removed", "abandoned", "recovered"] }).notNull(),
    sku: text("sku"),
    quantity: integer("quantity").notNull(),
    valueMinor: money("value_minor"),
    currency: text("currency"),
    /** The signed-in shopper's pseudonym; null for a guest cart. */
    customerKey: text("customer_key"),
    occurredAt: at("occurred_at").notNull(),
  },
  (t) => [index("cart_facts_customer_idx").on(t.customerKey)],
);

export const productViewFacts = analyticsSchema.table(
  "product_view_facts",
  {
    eventId: text("event_id").primaryKey(),
    productRef: text("product_ref").notNull(),
    productId: text("product_id"),
    customerKey: text("customer_key"),
    /** How many reads this one stands for: 1 / the sample rate. */
    weight: real("weight").notNull().default(1),
    viewedAt: at("viewed_at").notNull(),
  },
  (t) => [index("product_view_facts_customer_idx").on(t.customerKey)],
);

export const signupFacts = analyticsSchema.table(
  "signup_facts",
  {
    customerKey: text("customer_key").primaryKey(),
    eventId: text("event_id").notNull(),
    role: text("role").notNull(),
    via: text("via").notNull(),
    locale: text("locale").notNull(),
    signedUpAt: at("signed_up_at").notNull(),
  },
  (t) => [uniqueIndex("signup_facts_event_uq").on(t.eventId), index("signup_facts_signed_up_idx").on(t.signedUpAt)],
);

export const paymentFacts = analyticsSchema.table(
  "payment_facts",
  {
    eventId: text("event_id").primaryKey(),
    kind: text("kind", { enum: ["authorized", "captured", "failed", "refunded"] }).notNull(),
    paymentId: text("payment_id").notNull(),
    refundId: text("refund_id"),
    orderId: text("order_id").notNull(),
    customerKey: text("customer_key"),
    amountMinor: money("amount_minor").notNull(),
    currency: text("currency").notNull(),
    provider: text("provider"),
    reason: text("reason"),
    occurredAt: at("occurred_at").notNull(),
  },
  (t) => [
    uniqueIndex("payment_facts_refund_uq").on(t.refundId),
    index("payment_facts_kind_idx").on(t.currency, t.kind, t.occurredAt),
    index("payment_facts_order_idx").on(t.orderId),
    index("payment_facts_customer_idx").on(t.customerKey),
  ],
);

export const deliveryFacts = analyticsSchema.table(
  "delivery_facts",
  {
    eventId: text("event_id").primaryKey(),
    kind: text("kind", { enum: ["created", "dispatched", "delivered", "status"] }).notNull(),
    shipmentId: text("shipment_id").notNull(),
    orderId: text("order_id").notNull(),
    customerKey: text("customer_key"),
    carrier: text("carrier"),
    country: text("country"),
    status: text("status"),
    estimatedDelivery: date("estimated_delivery"),
    deliveredAt: at("delivered_at"),
    occurredAt: at("occurred_at").notNull(),
  },
  (t) => [
    index("delivery_facts_occurred_idx").on(t.occurredAt),
    index("delivery_facts_order_idx").on(t.orderId),
    index("delivery_facts_customer_idx").on(t.customerKey),
  ],
);

/** Low-stock and stock-out crossings (each announced once per crossing by the SKU's inventory object). */
export const inventoryFacts = analyticsSchema.table(
  "inventory_facts",
  {
    eventId: text("event_id").primaryKey(),
    kind: text("kind", { enum: ["low_stock", "out_of_stock"] }).notNull(),
    sku: text("sku").notNull(),
    available: integer("available").notNull(),
    onHand: integer("on_hand").notNull(),
    stockVersion: integer("stock_version").notNull(),
    occurredAt: at("occurred_at").notNull(),
  },
  (t) => [index("inventory_facts_occurred_idx").on(t.occurredAt), index("inventory_facts_sku_idx").on(t.sku)],
);

/** Each SKU's latest stock level from InventoryUpdated (the highest stock version wins). */
export const skuStock = analyticsSchema.table(
  "sku_stock",
  {
    sku: text("sku").primaryKey(),
    status: text("status").notNull(),
    available: integer("available").notNull(),
    onHand: integer("on_hand").notNull(),
    reserved: integer("reserved").notNull(),
    lowStockThreshold: integer("low_stock_threshold").notNull(),
    stockVersion: integer("stock_version").notNull(),
    updatedAt: at("updated_at").notNull(),
  },
  (t) => [index("sku_stock_status_idx").on(t.status)],
);

/**
 * Running totals per UTC day, currency ('' for counts without money) and
 * metric, incremented by the consumer as each event's fact is first written,
 * so today's figures are read, never recomputed.
 */
export const dailyMetrics = analyticsSchema.table(
  "daily_metrics",
  {
    day: date("day").notNull(),
    currency: text("currency").notNull(),
    metric: text("metric").notNull(),
    value: bigint("value", { mode: "number" }).notNull(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.day, t.currency, t.metric] })],
);
