/**
 * The catalogue as the recommenders see it: content features, status and
 * SKUs per product, and available units per SKU. Written by product and
 * inventory events and by the nightly rebuild; every write is guarded by a
 * version, so redelivered, reordered or late events leave the newest state.
 */
import { sql } from "drizzle-orm";
import type { ProductSnapshot } from "../../queues/contracts/events/product.ts";
import type { Queryable } from "../platform/db.ts";

/** Variant options as `name:value` words, lower-cased, without repeats. */
export function attributeWords(snapshot: Pick<ProductSnapshot, "variants">): string[] {
  const words = new Set<string>();
  for (const v of snapshot.variants)
    for (const [k, value] of Object.entries(v.options)) words.add(`${k.toLowerCase()}:${value.toLowerCase()}`);
  return [...words].sort();
}

/** Upserts a product from its snapshot unless a newer version (or its own tombstone) is held. */
export async function applyItem(db: Queryable, p: ProductSnapshot): Promise<void> {
  const prices = p.variants.map((v) => v.priceMinor);
  const price = prices.length > 0 ? Math.min(...prices) : null;
  const tags = p.tags.map((t) => t.toLowerCase());
  await db.execute(sql`
    insert into recommendations.items as i (product_id, status, version, slug, name, brand_id, category_path, tags, attributes, price_minor, skus)
    values (${p.productId}, ${p.status}, ${p.version}, ${p.slug}, ${p.name}, ${p.brand?.id ?? null}, ${p.category?.path ?? null},
      ${sql.param(tags)}::text[], ${sql.param(attributeWords(p))}::text[], ${price}, ${sql.param(p.variants.map((v) => v.sku))}::text[])
    on conflict (product_id) do update set status = excluded.status, version = excluded.version, slug = excluded.slug, name = excluded.name,
      brand_id = excluded.brand_id, category_path = excluded.category_path, tags = excluded.tags, attributes = excluded.attributes,
      price_minor = excluded.price_minor, skus = excluded.skus, updated_at = now()
    where i.version < excluded.version or (i.version = excluded.version and i.status <> 'deleted')`);
}

/** A deleted product becomes a tombstone that keeps its version against late snapshots. */
export async function applyItemDeletion(db: Queryable, d: { productId: string; slug: string; version: number }): Promise<void> {
  await db.execute(sql`
    insert into recommendations.items as i (product_id, status, version, slug, name) values (${d.productId}, 'deleted', ${d.version}, ${d.slug}, '')
    on conflict (product_id) do update set status = 'deleted', version = excluded.version, updated_at = now()
    where i.version <= excluded.version`);
}

/** A SKU's available units from an inventory event, if newer than the level held. */
export async function applySkuStock(db: Queryable, level: { sku: string; available: number; version: number }): Promise<void> {
  await db.execute(sql`
    insert into recommendations.sku_stock (sku, available, version) values (${level.sku}, ${level.available}, ${level.version})
    on conflict (sku) do update set available = excluded.available, version = excluded.version
    where sku_stock.version < excluded.version`);
}

/** The product a view names (its id or its slug), if the projection knows it. */
export async function productByRef(db: Queryable, ref: string): Promise<string | null> {
  const r = await db.execute<{ product_id: string }>(sql`
    select product_id from recommendations.items where product_id = ${ref} or slug = ${ref} order by (product_id = ${ref}) desc limit 1`);
  return r.rows[0]?.product_id ?? null;
}

/** The product a SKU belongs to. */
export async function productBySku(db: Queryable, sku: string): Promise<string | null> {
  const r = await db.execute<{ product_id: string }>(sql`
    select product_id from recommendations.items where skus @> array[${sku}]::text[] and status <> 'deleted' limit 1`);
  return r.rows[0]?.product_id ?? null;
}

/** SQL condition: the item row `i` can be recommended (active, and some SKU has units available). */
export const RECOMMENDABLE = sql.raw(
  `(i.status = 'active' and exists (select 1 from recommendations.sku_stock s where s.sku = any(i.skus) and s.available > 0))`,
);
