/** The catalog family: categories (a tree), brands, products and their variants (one SKU each). */
import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgSchema, text, timestamp, uniqueIndex, char } from "drizzle-orm/pg-core";

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
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("categories_path_uq").on(t.path), index("categories_parent_idx").on(t.parentId)],
);

export const brands = catalogSchema.table(
  "brands",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
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
    status: text("status", { enum: ["draft", "active", "archived"] }).notNull().default("draft"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    /** Optimistic concurrency: bumped on every write, checked with If-Match. */
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("products_slug_uq").on(t.slug), index("products_category_idx").on(t.categoryId), index("products_brand_idx").on(t.brandId)],
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
    priceMinor: integer("price_minor").notNull(),
    compareAtMinor: integer("compare_at_minor"),
    currency: char("currency", { length: 3 }).notNull(),
    weightGrams: integer("weight_grams"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("variants_sku_uq").on(t.sku), index("variants_product_idx").on(t.productId)],
);
