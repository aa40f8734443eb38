/**
 * Prices of SKUs for other families (the cart and checkout): the catalog's
 * service function, so they price with the same pricing function and the
 * same discounts as the catalog shows, and never read its tables.
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../platform/db.ts";
import { toRule } from "./discount-rules.ts";
import { priceUnit, type UnitPrice } from "./pricing.ts";
import { discountsJson } from "./product-read.ts";

export interface SkuQuote {
  sku: string;
  variantId: string;
  productId: string;
  productName: string;
  options: Record<string, string>;
  weightGrams: number | null;
  /** Only variants of active products can be sold. */
  sellable: boolean;
  price: UnitPrice;
}

type Row = {
  sku: string;
  variant_id: string;
  product_id: string;
  product_name: string;
  status: string;
  options: Record<string, string>;
  weight_grams: number | null;
  /** int8 columns arrive as decimal strings. */
  price_minor: string | number;
  compare_at_minor: string | number | null;
  currency: string;
  category_path: string | null;
  discounts: Parameters<typeof toRule>[0][];
};

/** Quotes each known SKU at `at`; unknown SKUs are left out of the map. */
export async function quoteSkus(db: Queryable, skus: string[], at: Date = new Date()): Promise<Map<string, SkuQuote>> {
  const quotes = new Map<string, SkuQuote>();
  if (skus.length === 0) return quotes;
  const result = await db.execute<Row>(sql`
    select v.sku, v.id as variant_id, p.id as product_id, p.name as product_name, p.status, v.options, v.weight_grams, v.price_minor, v.compare_at_minor, v.currency,
      c.path as category_path, ${discountsJson(at)} as discounts
    from catalog.variants v join catalog.products p on p.id = v.product_id left join catalog.categories c on c.id = p.category_id
    where v.sku = any(${sql.param([...new Set(skus)])}::text[])`);
  for (const r of result.rows) {
    const rules = r.discounts.map(toRule);
    const price = priceUnit(
      {
        productId: r.product_id,
        categoryPath: r.category_path,
        priceMinor: Number(r.price_minor),
        compareAtMinor: r.compare_at_minor === null ? null : Number(r.compare_at_minor),
        currency: r.currency.trim(),
      },
      rules,
      at,
    );
    quotes.set(r.sku, {
      sku: r.sku,
      variantId: r.variant_id,
      productId: r.product_id,
      productName: r.product_name,
      options: r.options,
      weightGrams: r.weight_grams,
      sellable: r.status === "active",
      price,
    });
  }
  return quotes;
}
