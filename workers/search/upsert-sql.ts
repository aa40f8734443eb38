/**
 * The SQL of a projection write, apart from its execution so the benchmark
 * can load a catalogue with exactly the statement the indexer runs.
 */
import { type SQL, sql } from "drizzle-orm";
import type { DocumentRow } from "./documents.ts";

/** Whether some SKU of the row's product has stock, from what the projection holds. */
export const IN_STOCK = sql`exists (select 1 from search.sku_availability a where a.sku = any(r.skus) and a.available > 0)`;

/**
 * The upsert of documents: each row is written only if newer than the row
 * held (a tombstone of the same version wins), and the words of active rows
 * join the lexicon. It returns the product ids actually written.
 */
export function upsertDocumentsStatement(rows: DocumentRow[], reindexRun: string | null): SQL {
  const unique = [...new Map(rows.map((r) => [r.productId, r])).values()];
  return sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(unique)}::jsonb) as r(
        "productId" text, status text, version int, slug text, name text, description text,
        "brandId" text, "brandSlug" text, "brandName" text,
        "categoryId" text, "categorySlug" text, "categoryName" text, "categoryPath" text,
        tags text[], "imageUrl" text, "priceMinMinor" int, "priceMaxMinor" int, "compareAtMinor" int,
        currency text, skus text[], "productCreatedAt" timestamptz, "productUpdatedAt" timestamptz)
    ),
    upserted as (
      insert into search.documents as d (
        product_id, status, version, slug, name, description, brand_id, brand_slug, brand_name,
        category_id, category_slug, category_name, category_path, tags, image_url,
        price_min_minor, price_max_minor, compare_at_minor, currency, skus, in_stock,
        product_created_at, product_updated_at, indexed_at, reindex_run)
      select r."productId", r.status, r.version, r.slug, r.name, r.description, r."brandId", r."brandSlug", r."brandName",
        r."categoryId", r."categorySlug", r."categoryName", r."categoryPath", r.tags, r."imageUrl",
        r."priceMinMinor", r."priceMaxMinor", r."compareAtMinor", r.currency, r.skus, ${IN_STOCK},
        r."productCreatedAt", r."productUpdatedAt", now(), ${reindexRun}
      from input r
      on conflict (product_id) do update set
        status = excluded.status, version = excluded.version, slug = excluded.slug, name = excluded.name,
        description = excluded.description, brand_id = excluded.brand_id, brand_slug = excluded.brand_slug,
        brand_name = excluded.brand_name, category_id = excluded.category_id, category_slug = excluded.category_slug,
        category_name = excluded.category_name, category_path = excluded.category_path, tags = excluded.tags,
        image_url = excluded.image_url, price_min_minor = excluded.price_min_minor, price_max_minor = excluded.price_max_minor,
        compare_at_minor = excluded.compare_at_minor, currency = excluded.currency, skus = excluded.skus,
        in_stock = excluded.in_stock, product_created_at = excluded.product_created_at,
        product_updated_at = excluded.product_updated_at, indexed_at = excluded.indexed_at, reindex_run = excluded.reindex_run
      where d.version < excluded.version or (d.version = excluded.version and d.status <> 'deleted')
      returning d.product_id, d.status, d.name, d.brand_name, d.category_name, d.description
    ),
    words as (
      -- In word order, so concurrent writers take the lexicon's row locks in one order.
      insert into search.lexicon (word)
      select distinct w.word from upserted u
        cross join lateral search.lexicon_words(concat_ws(' ', u.name, u.brand_name, u.category_name, u.description)) as w(word)
      where u.status = 'active'
      order by 1
      on conflict do nothing
    )
    select product_id from upserted`;
}
