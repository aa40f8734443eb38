/**
 * The catalog family: categories (a tree), brands, products with their
 * variants (one SKU each) and images, discounts, the price index that
 * listings filter and sort on, uploaded media, and the register of edge-cached
 * URLs that a change purges.
 */
import { sql } from "drizzle-orm";
import {
  boolean,
  char,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { money } from "./money.ts";

export const catalogSchema = pgSchema("catalog");

export const categories = catalogSchema.table(
  "categories",
  {
    id: text("id").primaryKey(),
    parentId: text("parent_id"),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    /** Slugs from the root, joined by `/`: `electronics/audio/headphones`. */
    path: text("path").notNull(),
    position: integer("position").notNull().default(0),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("categories_path_uq").on(t.path), index("categories_parent_idx").on(t.parentId)],
);

export const brands = catalogSchema.table(
  "brands",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("brands_slug_uq").on(t.slug)],
);

export const products = catalogSchema.table(
  "products",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    brandId: text("brand_id").references(() => brands.id),
    categoryId: text("category_id").references(() => categories.id),
    status: text("status", { enum: ["draft", "active", "archived"] })
      .notNull()
      .default("draft"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    /** Fed by the reviews family; zero until it reports. */
    ratingAvg: numeric("rating_avg", { precision: 3, scale: 2, mode: "number" }).notNull().default(0),
    ratingCount: integer("rating_count").notNull().default(0),
    /** Optimistic concurrency: bumped on every write, checked with If-Match. */
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("products_slug_uq").on(t.slug),
    index("products_category_idx").on(t.categoryId),
    index("products_brand_idx").on(t.brandId),
    index("products_tags_idx").using("gin", t.tags),
    // The listing's "rating" order over the only status the public sees ("newest" walks the primary key backwards).
    index("products_active_rating_idx").on(t.ratingAvg.desc(), t.ratingCount.desc(), t.id.desc()).where(sql`status = 'active'`),
  ],
);

export const variants = catalogSchema.table(
  "variants",
  {
    id: text("id").primaryKey(),
    productId: text("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    sku: text("sku").notNull(),
    /** Option values such as `{ "size": "M", "colour": "blue" }`. */
    options: jsonb("options").$type<Record<string, string>>().notNull().default({}),
    priceMinor: money("price_minor").notNull(),
    compareAtMinor: money("compare_at_minor"),
    currency: char("currency", { length: 3 }).notNull(),
    weightGrams: integer("weight_grams"),
    lengthMm: integer("length_mm"),
    widthMm: integer("width_mm"),
    heightMm: integer("height_mm"),
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("variants_sku_uq").on(t.sku),
    index("variants_product_idx").on(t.productId),
    check("variants_price_nonnegative", sql`${t.priceMinor} >= 0`),
  ],
);

export const discounts = catalogSchema.table(
  "discounts",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ["percentage", "fixed"] }).notNull(),
    percentBp: integer("percent_bp"),
    amountMinor: money("amount_minor"),
    currency: char("currency", { length: 3 }),
    scope: text("scope", { enum: ["product", "category", "all"] }).notNull(),
    productId: text("product_id").references(() => products.id, { onDelete: "cascade" }),
    categoryId: text("category_id").references(() => categories.id, { onDelete: "cascade" }),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("discounts_ends_idx").on(t.endsAt),
    index("discounts_product_idx").on(t.productId),
    index("discounts_category_idx").on(t.categoryId),
    check(
      "discounts_kind_value",
      sql`(${t.kind} = 'percentage' and ${t.percentBp} between 1 and 10000 and ${t.amountMinor} is null)
        or (${t.kind} = 'fixed' and ${t.amountMinor} > 0 and ${t.currency} is not null and ${t.percentBp} is null)`,
    ),
    check(
      "discounts_scope_target",
      sql`(${t.scope} = 'all' and ${t.productId} is null and ${t.categoryId} is null)
        or (${t.scope} = 'product' and ${t.productId} is not null and ${t.categoryId} is null)
        or (${t.scope} = 'category' and ${t.categoryId} is not null and ${t.productId} is null)`,
    ),
    check("discounts_window", sql`${t.endsAt} is null or ${t.endsAt} > ${t.startsAt}`),
  ],
);

/**
 * Each product's "from" price over time, computed by the pricing function
 * for the intervals between discount starts and ends (pricing.ts
 * priceWindows). Listings filter and sort on the row whose interval holds
 * the current time; `-infinity`/`infinity` close the open ends.
 */
export const priceWindows = catalogSchema.table(
  "price_windows",
  {
    productId: text("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    validFrom: timestamp("valid_from", { withTimezone: true }).notNull(),
    validUntil: timestamp("valid_until", { withTimezone: true }).notNull(),
    minPriceMinor: money("min_price_minor").notNull(),
    maxPriceMinor: money("max_price_minor").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    discounted: boolean("discounted").notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.validFrom] }), index("price_windows_price_idx").on(t.minPriceMinor, t.productId)],
);

/** Uploaded images, stored in R2 under their SHA-256, so one upload is stored once however often it is used. */
export const media = catalogSchema.table("media", {
  key: text("key").primaryKey(),
  contentType: text("content_type").notNull(),
  sizeBytes: integer("size_bytes").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const productImages = catalogSchema.table(
  "product_images",
  {
    id: text("id").primaryKey(),
    productId: text("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    /** An uploaded image (catalog.media), or else an external https URL. */
    mediaKey: text("media_key").references(() => media.key),
    externalUrl: text("external_url"),
    alt: text("alt").notNull().default(""),
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("product_images_product_idx").on(t.productId, t.position),
    check("product_images_source", sql`(${t.mediaKey} is null) <> (${t.externalUrl} is null)`),
  ],
);

/**
 * Public responses put in the edge cache, so a change can purge exactly the
 * URLs it affects: a product's own URLs (`product_id`), and every listing
 * (`product_id` null). Rows past `expires_at` are dead and pruned.
 */
export const edgeCacheUrls = catalogSchema.table(
  "edge_cache_urls",
  {
    url: text("url").primaryKey(),
    productId: text("product_id"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("edge_cache_urls_product_idx").on(t.productId), index("edge_cache_urls_expires_idx").on(t.expiresAt)],
);
