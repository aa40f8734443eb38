/**
 * What a code's category and brand rules need to know of a line: its
 * product's brand, and its category with every category above it. Read from
 * the catalogue by SKU the way the catalogue's own quotes match category
 * discounts (a category covers its path and every path below it), in one
 * statement that can run beside the quotes.
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../platform/db.ts";

export interface LineFacts {
  brandId: string | null;
  categoryIds: string[];
}

type Row = { sku: string; brand_id: string | null; category_ids: string[] | null };

export async function catalogFacts(db: Queryable, skus: readonly string[]): Promise<Map<string, LineFacts>> {
  const facts = new Map<string, LineFacts>();
  if (skus.length === 0) return facts;
  const result = await db.execute<Row>(sql`
    select v.sku, p.brand_id,
      (select array_agg(a.id) from catalog.categories a where c.path = a.path or c.path like a.path || '/%') as category_ids
    from catalog.variants v join catalog.products p on p.id = v.product_id left join catalog.categories c on c.id = p.category_id
    where v.sku = any(${sql.param([...new Set(skus)])}::text[])`);
  for (const r of result.rows) facts.set(r.sku, { brandId: r.brand_id, categoryIds: r.category_ids ?? [] });
  return facts;
}

/** Whether any of the codes needs the facts (most do not, and then nothing is read). */
export const needsFacts = (codes: readonly { categoryIds: string[]; brandIds: string[] }[]): boolean =>
  codes.some((c) => c.categoryIds.length > 0 || c.brandIds.length > 0);
