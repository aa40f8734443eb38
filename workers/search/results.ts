/** From the search statement's rows to the API's response body. Pure. */
import type { z } from "@hono/zod-openapi";
import { nextPage, priceBuckets, ratingBuckets, renderHighlight } from "./domain.ts";
import type { QueryPlan } from "./query-plan.ts";
import type { SearchResponseSchema } from "./schemas.ts";
import type { SearchInput, SearchItemRow, SearchRows } from "./search-query.ts";

export type SearchResponse = z.infer<typeof SearchResponseSchema>;

function toItem(r: SearchItemRow): SearchResponse["items"][number] {
  return {
    productId: r.productId,
    slug: r.slug,
    name: r.name,
    brand: r.brand,
    category: r.category,
    price:
      r.priceMinMinor === null || r.currency === null
        ? null
        : {
            minMinor: r.priceMinMinor,
            maxMinor: r.priceMaxMinor ?? r.priceMinMinor,
            compareAtMinor: r.compareAtMinor,
            currency: r.currency,
          },
    imageUrl: r.imageUrl,
    inStock: r.inStock,
    rating: { average: Math.round(r.ratingAverage * 100) / 100, count: r.ratingCount },
    score: Math.round(r.score * 10_000) / 10_000,
    highlights: { name: renderHighlight(r.nameMarked), description: renderHighlight(r.snippetMarked) },
  };
}

/** What the shopper is told about words the catalogue has nothing like, instead of unrelated results. */
export function unmatchedNotice(plan: QueryPlan): string | null {
  const unmatched = plan.readings.filter((r) => r.kind === "unmatched").map((r) => `"${r.typed}"`);
  if (unmatched.length === 0) return null;
  const what = `Nothing in the catalogue resembles ${unmatched.join(", ")}`;
  return plan.tsquery === "" ? `${what}; nothing was searched` : `${what}; results are for the other words`;
}

export function toSearchResponse(input: Omit<SearchInput, "plan">, rows: SearchRows & { plan: QueryPlan | null }): SearchResponse {
  const stock = new Map(rows.stock.map((s) => [s.inStock, s.count]));
  const readings = rows.plan?.readings ?? [];
  return {
    query: input.q,
    correctedQuery: input.q !== null && rows.corrected !== rows.typed ? rows.corrected : null,
    words: readings,
    notice: rows.plan === null ? null : unmatchedNotice(rows.plan),
    items: rows.items.map(toItem),
    total: rows.total,
    page: input.page,
    limit: input.limit,
    nextPage: nextPage(input.page, input.limit, rows.total),
    facets: {
      category: rows.categories,
      brand: rows.brands,
      price: priceBuckets(rows.prices),
      rating: ratingBuckets(rows.ratings),
      inStock: [
        { value: true, count: stock.get(true) ?? 0 },
        { value: false, count: stock.get(false) ?? 0 },
      ],
    },
  };
}
