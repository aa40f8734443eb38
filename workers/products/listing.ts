/**
 * The product listing: filters (category subtree, brand, tag, price range on
 * the "from" price, in stock), sorts (newest, price either way, rating) and
 * keyset pagination. Prices sort and filter on catalog.price_windows, the
 * pricing function's output for the interval holding `at`, so the order and
 * the prices shown always agree. One statement returns the page and the
 * discounts needed to price it.
 */
import { z } from "@hono/zod-openapi";
import { type SQL, sql } from "drizzle-orm";
import { skuInStock } from "../inventory/index.ts";
import { decodeCursor, encodeCursor, type KeyType } from "../platform/cursor.ts";
import type { Queryable } from "../platform/db.ts";
import { toRule } from "./discount-rules.ts";
import { type BrandRef, type CategoryRef, imageUrlOf, type PriceSummary, priceProduct } from "./presentation.ts";
import { nextPriceChange } from "./pricing.ts";
import { discountsJson, type ProductStatus } from "./product-read.ts";

export const SORTS = ["newest", "price_asc", "price_desc", "rating"] as const;
export type ListSort = (typeof SORTS)[number];

export interface ListQuery {
  category?: string;
  brand?: string;
  tag?: string;
  minPrice?: number;
  maxPrice?: number;
  currency?: string;
  inStock?: boolean;
  sort: ListSort;
  limit: number;
  cursor?: string;
  status: ProductStatus;
}

export interface ProductSummary {
  id: string;
  slug: string;
  name: string;
  status: ProductStatus;
  brand: BrandRef | null;
  category: CategoryRef | null;
  tags: string[];
  imageUrl: string | null;
  price: PriceSummary | null;
  inStock: boolean;
  rating: { average: number; count: number };
  createdAt: string;
}

type Row = {
  id: string | null;
  slug: string;
  name: string;
  status: ProductStatus;
  tags: string[];
  rating_avg: number;
  rating_count: number;
  created_at: string | Date;
  /** int8: a decimal string. */
  sort_price: string | number;
  brand: BrandRef | null;
  category: CategoryRef | null;
  variants: { sku: string; priceMinor: number; compareAtMinor: number | null; currency: string }[];
  image: { mediaKey: string | null; externalUrl: string | null } | null;
  in_stock: boolean;
  discounts: Parameters<typeof toRule>[0][];
};

/**
 * The price a listing sorts by. Every active product has variants and so a
 * price window: for the public listing that is an inner join ordered by
 * (min_price_minor, product_id), which the price index delivers in order.
 * Admin listings of drafts may hold products without a price; they sort
 * after every priced one either way.
 */
function priceKey(q: Pick<ListQuery, "sort" | "status">): { price: SQL; id: SQL; join: SQL } {
  if (q.status === "active") return { price: sql`pw.min_price_minor`, id: sql`pw.product_id`, join: sql`join` };
  return {
    price: q.sort === "price_desc" ? sql`coalesce(pw.min_price_minor, -1)` : sql`coalesce(pw.min_price_minor, 2147483647)`,
    id: sql`p.id`,
    join: sql`left join`,
  };
}

function innerOrder(q: Pick<ListQuery, "sort" | "status">): SQL {
  const k = priceKey(q);
  switch (q.sort) {
    case "newest":
      return sql`p.id desc`;
    case "price_asc":
      return sql`${k.price} asc, ${k.id} asc`;
    case "price_desc":
      return sql`${k.price} desc, ${k.id} desc`;
    case "rating":
      // NULLS LAST as in the index (the columns are never null), so the index can deliver the order.
      return sql`p.rating_avg desc nulls last, p.rating_count desc nulls last, p.id desc nulls last`;
  }
}

/** The same order over the page's columns. */
const OUTER_ORDER: Record<ListSort, SQL> = {
  newest: sql`p.id desc`,
  price_asc: sql`p.sort_price asc, p.id asc`,
  price_desc: sql`p.sort_price desc, p.id desc`,
  rating: sql`p.rating_avg desc nulls last, p.rating_count desc nulls last, p.id desc nulls last`,
};

// Prices and counts are compared as ints: a key outside that range did not come from this API.
const KEY_TYPES: Record<ListSort, KeyType[]> = {
  newest: ["string"],
  price_asc: [z.int32(), "string"],
  price_desc: [z.int32(), "string"],
  rating: ["number", z.int32(), "string"],
};

/** The cursor's sort: the listing's sort names, prefixed so no other list's cursor passes. */
const cursorSort = (sort: ListSort) => `products:${sort}`;

function afterCursor(q: Pick<ListQuery, "sort" | "status">, raw: string): SQL {
  const key = decodeCursor(raw, cursorSort(q.sort), KEY_TYPES[q.sort]);
  const k = priceKey(q);
  switch (q.sort) {
    case "newest":
      return sql`p.id < ${key[0]}`;
    case "price_asc":
      return sql`(${k.price}, ${k.id}) > (${key[0]}::bigint, ${key[1]})`;
    case "price_desc":
      return sql`(${k.price}, ${k.id}) < (${key[0]}::bigint, ${key[1]})`;
    case "rating":
      return sql`(p.rating_avg, p.rating_count, p.id) < (${key[0]}::numeric, ${key[1]}::int, ${key[2]})`;
  }
}

function cursorAfter(sort: ListSort, row: Row): string {
  const key =
    sort === "newest"
      ? [row.id!]
      : sort === "rating"
        ? [Number(row.rating_avg), row.rating_count, row.id!]
        : [Number(row.sort_price), row.id!];
  return encodeCursor({ sort: cursorSort(sort), key });
}

/** The statement behind a listing page (exported so benchmarks can EXPLAIN it). */
export function listingStatement(q: ListQuery, at: Date): SQL {
  const when = sql`${at.toISOString()}::timestamptz`;
  const inStock = sql`exists (select 1 from catalog.variants sv where sv.product_id = p.id and ${skuInStock(sql`sv.sku`)})`;
  const filters: SQL[] = [sql`p.status = ${q.status}`];
  if (q.category) {
    filters.push(sql`p.category_id in (select sub.id from catalog.categories sub join catalog.categories root on sub.path = root.path or sub.path like root.path || '/%'
      where root.id = ${q.category} or root.path = ${q.category})`);
  }
  if (q.brand) filters.push(sql`p.brand_id in (select id from catalog.brands where id = ${q.brand} or slug = ${q.brand})`);
  if (q.tag) filters.push(sql`p.tags @> array[${q.tag}]::text[]`);
  if (q.minPrice !== undefined) filters.push(sql`pw.min_price_minor >= ${q.minPrice}`);
  if (q.maxPrice !== undefined) filters.push(sql`pw.min_price_minor <= ${q.maxPrice}`);
  if (q.currency) filters.push(sql`pw.currency = ${q.currency}`);
  if (q.inStock) filters.push(inStock);
  if (q.cursor) filters.push(afterCursor(q, q.cursor));
  const key = priceKey(q);

  return sql`
    with page as (
      select p.id, p.slug, p.name, p.status, p.tags, p.rating_avg, p.rating_count, p.created_at, p.brand_id, p.category_id, ${key.price} as sort_price
      from catalog.products p
      ${key.join} catalog.price_windows pw on pw.product_id = p.id and pw.valid_from <= ${when} and pw.valid_until > ${when}
      where ${sql.join(filters, sql` and `)}
      order by ${innerOrder(q)}
      limit ${q.limit + 1}
    ), rules as (select ${discountsJson(at)} as discounts)
    select p.id, p.slug, p.name, p.status, p.tags, p.rating_avg::float8 as rating_avg, p.rating_count, p.created_at, p.sort_price,
      case when b.id is null then null else json_build_object('id', b.id, 'slug', b.slug, 'name', b.name) end as brand,
      case when c.id is null then null else json_build_object('id', c.id, 'slug', c.slug, 'name', c.name, 'path', c.path) end as category,
      (select coalesce(json_agg(json_build_object('sku', v.sku, 'priceMinor', v.price_minor, 'compareAtMinor', v.compare_at_minor, 'currency', v.currency)), '[]'::json)
        from catalog.variants v where v.product_id = p.id) as variants,
      (select json_build_object('mediaKey', i.media_key, 'externalUrl', i.external_url) from catalog.product_images i
        where i.product_id = p.id order by i.position, i.id limit 1) as image,
      -- A scalar subquery with LIMIT 1: an EXISTS here may be planned as a hash of every in-stock variant.
      coalesce((select true from catalog.variants sv where sv.product_id = p.id and ${skuInStock(sql`sv.sku`)} limit 1), false) as in_stock,
      rules.discounts
    from rules
    left join page p on true
    left join catalog.brands b on b.id = p.brand_id
    left join catalog.categories c on c.id = p.category_id
    order by ${OUTER_ORDER[q.sort]}`;
}

export async function listProducts(
  db: Queryable,
  q: ListQuery,
  at: Date,
): Promise<{ items: ProductSummary[]; nextCursor: string | null; nextChange: Date | null }> {
  const result = await db.execute<Row>(listingStatement(q, at));

  // Without products the one row carries only the discounts.
  const rows = result.rows.filter((r) => r.id !== null);
  const rules = (result.rows[0]?.discounts ?? []).map(toRule);
  const page = rows.slice(0, q.limit);
  const items = page.map(
    (r): ProductSummary => ({
      id: r.id!,
      slug: r.slug,
      name: r.name,
      status: r.status,
      brand: r.brand,
      category: r.category,
      tags: r.tags,
      imageUrl: imageUrlOf(r.image),
      price: priceProduct({ id: r.id!, categoryPath: r.category?.path ?? null }, r.variants, rules, at).summary,
      inStock: r.in_stock,
      rating: { average: Number(r.rating_avg), count: r.rating_count },
      createdAt: new Date(r.created_at).toISOString(),
    }),
  );
  return {
    items,
    nextCursor: rows.length > q.limit ? cursorAfter(q.sort, page[page.length - 1]!) : null,
    nextChange: nextPriceChange(rules, at),
  };
}
