/**
 * Keeps catalog.price_windows in step with base prices and discounts: every
 * write that can change a price recomputes the windows of the products it
 * touches, in its own transaction, with the pricing function.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../platform/db.ts";
import { loadDiscountRules } from "./discount-rules.ts";
import { type DiscountRule, priceWindows } from "./pricing.ts";

export type PriceScope = { all: true } | { productIds: string[] } | { categoryIds: string[] };

const CHUNK = 1000;

/**
 * Recomputes the windows of the products in `scope` as of `at`. The
 * products' rows are locked first (in id order, so concurrent refreshes
 * cannot deadlock), which serialises this with any other write to them:
 * the discounts and variants read afterwards are the latest committed ones.
 */
export async function refreshPriceWindows(tx: Queryable, scope: PriceScope, at: Date): Promise<number> {
  const where = scopeCondition(scope);
  if (!where) return 0;
  let rules: DiscountRule[] | null = null;
  let after = "";
  let refreshed = 0;
  for (;;) {
    const locked = await tx.execute<{ id: string; path: string | null }>(sql`
      select p.id, c.path from catalog.products p left join catalog.categories c on c.id = p.category_id
      where ${where} and p.id > ${after}
      order by p.id limit ${CHUNK}
      for update of p`);
    if (locked.rows.length === 0) break;
    rules ??= await loadDiscountRules(tx, at);
    await rewrite(tx, locked.rows, rules, at);
    refreshed += locked.rows.length;
    after = locked.rows[locked.rows.length - 1]!.id;
    if (locked.rows.length < CHUNK) break;
  }
  return refreshed;
}

function scopeCondition(scope: PriceScope): SQL | null {
  if ("all" in scope) return sql`true`;
  if ("productIds" in scope) return scope.productIds.length ? sql`p.id = any(${sql.param(scope.productIds)}::text[])` : null;
  if (scope.categoryIds.length === 0) return null;
  return sql`p.category_id in (
    select sub.id from catalog.categories sub join catalog.categories root on sub.path = root.path or sub.path like root.path || '/%'
    where root.id = any(${sql.param(scope.categoryIds)}::text[]))`;
}

/** int8 columns arrive as decimal strings. */
type VariantRow = { product_id: string; price_minor: string | number; compare_at_minor: string | number | null; currency: string };

async function rewrite(tx: Queryable, products: { id: string; path: string | null }[], rules: DiscountRule[], at: Date): Promise<void> {
  const ids = products.map((p) => p.id);
  const variants = await tx.execute<VariantRow>(sql`
    select product_id, price_minor, compare_at_minor, currency from catalog.variants where product_id = any(${sql.param(ids)}::text[])`);
  const byProduct = new Map<string, VariantRow[]>();
  for (const v of variants.rows) byProduct.set(v.product_id, [...(byProduct.get(v.product_id) ?? []), v]);

  const cols = {
    product: [] as string[],
    from: [] as string[],
    until: [] as string[],
    min: [] as number[],
    max: [] as number[],
    currency: [] as string[],
    discounted: [] as boolean[],
  };
  for (const p of products) {
    const priced = (byProduct.get(p.id) ?? []).map((v) => ({
      productId: p.id,
      categoryPath: p.path,
      priceMinor: Number(v.price_minor),
      compareAtMinor: v.compare_at_minor === null ? null : Number(v.compare_at_minor),
      currency: v.currency.trim(),
    }));
    for (const w of priceWindows(priced, rules, at)) {
      cols.product.push(p.id);
      cols.from.push(w.validFrom?.toISOString() ?? "-infinity");
      cols.until.push(w.validUntil?.toISOString() ?? "infinity");
      cols.min.push(w.minPriceMinor);
      cols.max.push(w.maxPriceMinor);
      cols.currency.push(w.currency);
      cols.discounted.push(w.discounted);
    }
  }
  await tx.execute(sql`delete from catalog.price_windows where product_id = any(${sql.param(ids)}::text[])`);
  if (cols.product.length === 0) return;
  await tx.execute(sql`
    insert into catalog.price_windows (product_id, valid_from, valid_until, min_price_minor, max_price_minor, currency, discounted)
    select product_id, valid_from::timestamptz, valid_until::timestamptz, min_price, max_price, currency, discounted
    from unnest(${sql.param(cols.product)}::text[], ${sql.param(cols.from)}::text[], ${sql.param(cols.until)}::text[],
                ${sql.param(cols.min)}::bigint[], ${sql.param(cols.max)}::bigint[], ${sql.param(cols.currency)}::text[], ${sql.param(cols.discounted)}::bool[])
      as t(product_id, valid_from, valid_until, min_price, max_price, currency, discounted)`);
}
