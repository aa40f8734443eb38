/**
 * The recommendations family: compact tables that every recommender reads,
 * kept up to date by the `recommendations` consumer group and rebuilt from
 * the signal log and order lines by the nightly job.
 *
 * - `items`: the catalogue as the recommenders need it (content features,
 *   status, SKUs), fed by product events and guarded by the product version;
 *   `sku_stock` holds availability per SKU, fed by inventory events.
 * - `signals`: one row per event that says something about interest (views,
 *   cart adds, purchases, reviews, and negative rows for cancellations and
 *   returns); personal feeds and trending read it, the nightly job prunes it.
 * - `order_lines`, `user_products`, `co_purchase`, `product_stats`: the
 *   co-purchase model. A customer's first net purchase of a product adds one
 *   to the pair count with each product they already hold; a cancellation or
 *   return that takes the net count back to zero removes it again.
 * - `experiments`, `exposures`, `clicks`, `conversions`: A/B tests of the
 *   recommenders, assignment by hash (not stored), outcomes per exposure.
 */
import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgSchema, primaryKey, real, text, timestamp } from "drizzle-orm/pg-core";
import { money } from "./money.ts";

export const recommendationsSchema = pgSchema("recommendations");

export const recItems = recommendationsSchema.table(
  "items",
  {
    productId: text("product_id").primaryKey(),
    /** `draft`, `active`, `archived`, or `deleted` (a tombstone that keeps its version). */
    status: text("status", { enum: ["draft", "active", "archived", "deleted"] }).notNull(),
    version: integer("version").notNull(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    brandId: text("brand_id"),
    /** Category slugs from the root joined by `/`. */
    categoryPath: text("category_path"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    /** Variant options as `name:value` words (`colour:red`). */
    attributes: text("attributes").array().notNull().default(sql`'{}'::text[]`),
    /** The cheapest variant's list price, in minor units. */
    priceMinor: money("price_minor"),
    skus: text("skus").array().notNull().default(sql`'{}'::text[]`),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("items_skus_idx").using("gin", t.skus),
    index("items_slug_idx").on(t.slug),
    index("items_active_category_idx").on(t.categoryPath).where(sql`status = 'active'`),
  ],
);

export const recSkuStock = recommendationsSchema.table("sku_stock", {
  sku: text("sku").primaryKey(),
  available: integer("available").notNull(),
  /** The inventory version; 0 for a level read from the inventory projection by the rebuild. */
  version: integer("version").notNull(),
});

export const SIGNAL_KINDS = ["view", "cart", "purchase", "review", "cancel", "return"] as const;

export const recSignals = recommendationsSchema.table(
  "signals",
  {
    /** The event's id (with a suffix for events that carry several lines): a redelivery writes nothing. */
    id: text("id").primaryKey(),
    userId: text("user_id"),
    productId: text("product_id").notNull(),
    kind: text("kind", { enum: SIGNAL_KINDS }).notNull(),
    weight: real("weight").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("signals_user_idx").on(t.userId, t.occurredAt.desc()).where(sql`user_id is not null`),
    index("signals_occurred_idx").on(t.occurredAt),
  ],
);

export const ORDER_LINE_STATES = ["created", "confirmed", "cancelled", "returned"] as const;

export const recOrderLines = recommendationsSchema.table(
  "order_lines",
  {
    orderId: text("order_id").notNull(),
    productId: text("product_id").notNull(),
    userId: text("user_id").notNull(),
    quantity: integer("quantity").notNull(),
    state: text("state", { enum: ORDER_LINE_STATES }).notNull(),
    orderedAt: timestamp("ordered_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.productId] }), index("order_lines_user_idx").on(t.userId)],
);

export const recUserProducts = recommendationsSchema.table(
  "user_products",
  {
    userId: text("user_id").notNull(),
    productId: text("product_id").notNull(),
    /** Confirmed orders with the product, less cancelled and returned ones. */
    purchases: integer("purchases").notNull(),
    lastAt: timestamp("last_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.productId] })],
);

export const recCoPurchase = recommendationsSchema.table(
  "co_purchase",
  {
    productId: text("product_id").notNull(),
    otherId: text("other_id").notNull(),
    /** Customers who hold both products; each pair is stored both ways. */
    customers: integer("customers").notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.otherId] })],
);

export const recProductStats = recommendationsSchema.table("product_stats", {
  productId: text("product_id").primaryKey(),
  /** Customers who hold the product (net of cancellations and returns). */
  buyers: integer("buyers").notNull().default(0),
  /** Sum of signal weights, each halved every half-life, as of `trend_at`. */
  trendScore: real("trend_score").notNull().default(0),
  trendAt: timestamp("trend_at", { withTimezone: true }).notNull().defaultNow(),
});

export const recModelBuilds = recommendationsSchema.table("model_builds", {
  id: text("id").primaryKey(),
  builtAt: timestamp("built_at", { withTimezone: true }).notNull().defaultNow(),
  figures: jsonb("figures").notNull(),
});

export const recExperiments = recommendationsSchema.table("experiments", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** Where the lists are shown (`home`, ...): one experiment runs per placement. */
  placement: text("placement").notNull(),
  /** `[{ name, algorithm, weight }]`: the arms and their shares. */
  arms: jsonb("arms").notNull(),
  status: text("status", { enum: ["running", "stopped"] }).notNull(),
  conversionWindowHours: integer("conversion_window_hours").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const recExposures = recommendationsSchema.table(
  "exposures",
  {
    id: text("id").primaryKey(),
    experimentId: text("experiment_id").notNull(),
    arm: text("arm").notNull(),
    userId: text("user_id").notNull(),
    productIds: text("product_ids").array().notNull(),
    shownAt: timestamp("shown_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("exposures_experiment_idx").on(t.experimentId, t.arm), index("exposures_user_idx").on(t.userId, t.shownAt)],
);

export const recClicks = recommendationsSchema.table(
  "clicks",
  {
    exposureId: text("exposure_id").notNull(),
    productId: text("product_id").notNull(),
    clickedAt: timestamp("clicked_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.exposureId, t.productId] })],
);

export const recConversions = recommendationsSchema.table(
  "conversions",
  {
    exposureId: text("exposure_id").notNull(),
    productId: text("product_id").notNull(),
    orderId: text("order_id").notNull(),
    convertedAt: timestamp("converted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.exposureId, t.productId, t.orderId] })],
);
