/**
 * The search family: a projection of the catalogue built for full-text and
 * faceted search, the lexicon that typo correction draws on, and the log of
 * search queries.
 *
 * The projection is fed only by product (and inventory, review) events and by
 * the full reindex; it keeps a row for every product it has heard of,
 * including drafts, archived and deleted ones (status `deleted` is a
 * tombstone), because the row's `version` is what lets the indexer ignore an
 * older snapshot delivered after a newer one. Only `active` rows are searchable.
 *
 * Defined by the custom migration, not here, because drizzle cannot express
 * them: the generated columns `name_norm` (normalised name for exact-match
 * ranking and trigram matching) and `document` (the weighted tsvector), which
 * depend on SQL functions, their GIN indexes, the covering category index,
 * the trigram index of the lexicon and the prefix indexes of suggestions.
 */
import { sql } from "drizzle-orm";
import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { money } from "./money.ts";

export const searchSchema = pgSchema("search");

export const searchDocuments = searchSchema.table(
  "documents",
  {
    productId: text("product_id").primaryKey(),
    /** `draft`, `active`, `archived` as in the catalogue, or `deleted` for a tombstone. */
    status: text("status", { enum: ["draft", "active", "archived", "deleted"] }).notNull(),
    /** The product's version in the catalogue; a snapshot older than this is ignored. */
    version: integer("version").notNull(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    brandId: text("brand_id"),
    brandSlug: text("brand_slug"),
    brandName: text("brand_name"),
    categoryId: text("category_id"),
    categorySlug: text("category_slug"),
    categoryName: text("category_name"),
    /** Slugs from the root joined by `/`; a category filter matches the path and everything under it. */
    categoryPath: text("category_path"),
    /** The path and a final `/`: one prefix (`home/kitchen/%`) then finds a category and everything under it. */
    categoryKey: text("category_key").generatedAlwaysAs(sql`category_path || '/'`),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    imageUrl: text("image_url"),
    /** Lowest and highest list price over the variants, in minor units of `currency`. */
    priceMinMinor: money("price_min_minor"),
    priceMaxMinor: money("price_max_minor"),
    /** Compare-at price of the cheapest variant, when it is on sale. */
    compareAtMinor: money("compare_at_minor"),
    currency: text("currency"),
    skus: text("skus").array().notNull().default(sql`'{}'::text[]`),
    /** Some variant has stock available, derived from `sku_availability`. */
    inStock: boolean("in_stock").notNull().default(false),
    /** Fed by review events; zero until the product has approved reviews. */
    ratingAverage: doublePrecision("rating_average").notNull().default(0),
    ratingCount: integer("rating_count").notNull().default(0),
    /** Version of the rating figures held, so an older rating event is ignored. */
    ratingVersion: integer("rating_version").notNull().default(0),
    productCreatedAt: timestamp("product_created_at", { withTimezone: true }),
    productUpdatedAt: timestamp("product_updated_at", { withTimezone: true }),
    indexedAt: timestamp("indexed_at", { withTimezone: true }).notNull().defaultNow(),
    /** The reindex run that last wrote the row, so a reindex can find rows the catalogue no longer has. */
    reindexRun: text("reindex_run"),
  },
  (t) => [
    index("documents_active_created_idx").on(t.productCreatedAt.desc(), t.productId.desc()).where(sql`status = 'active'`),
    // Facets over the whole catalogue (browsing without a query) count these small, deduplicated indexes in key order.
    index("documents_active_brand_label_idx").on(t.brandSlug, t.brandName).where(sql`status = 'active'`),
    index("documents_active_category_label_idx").on(t.categoryPath, t.categoryName).where(sql`status = 'active'`),
    index("documents_active_price_idx").on(t.priceMinMinor).where(sql`status = 'active'`),
    index("documents_skus_idx").using("gin", t.skus),
  ],
);

/**
 * Units available per SKU, for the in-stock facet. Inventory events carry the
 * SKU's level with its version and win over older ones; a SKU no event has
 * reached yet is read from the inventory projection with version 0.
 */
export const searchSkuAvailability = searchSchema.table("sku_availability", {
  sku: text("sku").primaryKey(),
  available: integer("available").notNull(),
  version: integer("version").notNull().default(0),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Every word of the searchable text of active products: what a misspelt query word is corrected to. */
export const searchLexicon = searchSchema.table("lexicon", {
  word: text("word").primaryKey(),
});

export const searchQueryLog = searchSchema.table(
  "query_log",
  {
    id: text("id").primaryKey(),
    query: text("query").notNull(),
    /** Lower case, accents removed, punctuation collapsed: what the zero-result report groups by. */
    normalized: text("normalized").notNull(),
    /** The query after typo correction, when a word was corrected. */
    corrected: text("corrected"),
    filters: jsonb("filters").$type<Record<string, unknown>>().notNull(),
    sort: text("sort").notNull(),
    page: integer("page").notNull(),
    resultCount: integer("result_count").notNull(),
    latencyMs: real("latency_ms").notNull(),
    requestId: text("request_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("query_log_created_idx").on(t.createdAt), index("query_log_zero_results_idx").on(t.createdAt).where(sql`result_count = 0`)],
);

/**
 * Admin-managed synonyms, applied at query time. `term` and `synonym` are
 * normalised words or phrases; one-way rows widen a search for `term` to
 * `synonym` (backpack → daypack), two-way rows work in both directions
 * (sneakers ↔ trainers).
 */
export const searchSynonyms = searchSchema.table(
  "synonyms",
  {
    id: text("id").primaryKey(),
    language: text("language").notNull().default("en"),
    term: text("term").notNull(),
    synonym: text("synonym").notNull(),
    twoWay: boolean("two_way").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("synonyms_language_term_synonym_idx").on(t.language, t.term, t.synonym)],
);

/** Words a query ignores, per language; typo correction never turns a word into one of them. */
export const searchStopWords = searchSchema.table(
  "stop_words",
  {
    language: text("language").notNull(),
    word: text("word").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.language, t.word] })],
);

/**
 * Merchandising per query (its normalised text): a pinned product is shown at
 * `position` (1 first) of the relevance ranking whether or not the text
 * matches it; a boosted product that matches gets `boost` added to its score.
 */
export const searchMerchandising = searchSchema.table(
  "merchandising",
  {
    id: text("id").primaryKey(),
    query: text("query").notNull(),
    productId: text("product_id").notNull(),
    kind: text("kind", { enum: ["pin", "boost"] }).notNull(),
    position: integer("position"),
    boost: real("boost"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("merchandising_query_product_idx").on(t.query, t.productId)],
);
