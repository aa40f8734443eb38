/**
 * SKU quotes that survive a database outage. Every quote the catalogue
 * answers is also kept at the edge (platform/last-good.ts, at most once a
 * minute per SKU and isolate); when Postgres cannot answer, the kept quotes
 * stand in, flagged as last known, so a cart can still be filled. Checkout
 * prices again from the database, so a last-known price is never charged.
 */

import type { Queryable } from "../platform/db.ts";
import { isDatabaseUnavailable } from "../platform/db-errors.ts";
import { findLastGoodValue, refreshLastGood } from "../platform/last-good.ts";
import type { Runtime } from "../platform/runtime.ts";
import type { ProductView } from "./product-read.ts";
import { quoteSkus, type SkuQuote } from "./quotes.ts";

interface QuoteSource {
  quotes: Map<string, SkuQuote>;
  /** True when the database could not answer and the quotes are the last kept ones. */
  lastKnown: boolean;
  /** The database's failure, when it could not answer (a SKU with no kept quote cannot be priced). */
  unavailable?: unknown;
}

/** The key of a SKU's kept quote, under the origin of the request that asks (the edge cache is per zone). */
const quoteUrl = (origin: string, sku: string) => `${origin}/catalog/sku-quotes/${encodeURIComponent(sku)}`;

/** Keeps the quotes a product page shows (the page a shopper adds from), priced as the quote would price them. */
export function keepQuotesOf(rt: Runtime, origin: string, view: ProductView): void {
  for (const v of view.variants) {
    const quote: SkuQuote = {
      sku: v.sku,
      variantId: v.id,
      productId: view.id,
      productName: view.name,
      options: v.options,
      weightGrams: v.weightGrams,
      sellable: view.status === "active",
      price: v.price,
    };
    refreshLastGood(rt, quoteUrl(origin, v.sku), JSON.stringify(quote));
  }
}

/** Quotes the SKUs from the catalogue, or, when the database is unavailable, from the quotes kept at the edge. */
export async function quoteSkusOrLastKnown(rt: Runtime, db: Queryable, origin: string, skus: string[]): Promise<QuoteSource> {
  try {
    const quotes = await quoteSkus(db, skus);
    for (const quote of quotes.values()) refreshLastGood(rt, quoteUrl(origin, quote.sku), JSON.stringify(quote));
    return { quotes, lastKnown: false };
  } catch (err) {
    if (!isDatabaseUnavailable(err)) throw err;
    const kept = await Promise.all(skus.map((sku) => findLastGoodValue<SkuQuote>(rt, quoteUrl(origin, sku))));
    const quotes = new Map(kept.flatMap((k) => (k ? [[k.value.sku, k.value] as const] : [])));
    return { quotes, lastKnown: true, unavailable: err };
  }
}
