/**
 * The rules of the search API that need no database: limits, sort orders,
 * facet shapes (price buckets, cumulative ratings) and turning ts_headline's
 * marked text into safe HTML.
 */

export const SEARCH_SORTS = ["relevance", "price_asc", "price_desc", "newest", "rating"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** Deep pages of a relevance ranking are never useful and cost a full ranking each: pages stop here. */
export const MAX_PAGE = 50;
export const MAX_LIMIT = 50;
export const MAX_QUERY_LENGTH = 200;
/** Only the first words of a query are corrected and matched; the rest are ignored. */
export const MAX_QUERY_WORDS = 8;
/** Facet values listed per facet (categories, brands), most frequent first. */
export const MAX_FACET_VALUES = 50;

/** Upper bounds (exclusive) of the price buckets, in minor units: under 25, 25-50, 50-100, 100-250, 250-500, 500 and over. */
export const PRICE_BOUNDS_MINOR = [2_500, 5_000, 10_000, 25_000, 50_000] as const;

export interface SearchFilters {
  /** Category paths; each matches itself and every category below it. */
  categories: string[];
  brands: string[];
  minPriceMinor?: number;
  maxPriceMinor?: number;
  minRating?: number;
  inStock?: boolean;
  currency?: string;
}

export type FacetName = "category" | "brand" | "price" | "rating" | "inStock";

/** Which facets have an active filter: each facet's counts ignore its own filter and respect the others. */
export function activeFilters(f: SearchFilters): Set<FacetName> {
  const active = new Set<FacetName>();
  if (f.categories.length > 0) active.add("category");
  if (f.brands.length > 0) active.add("brand");
  if (f.minPriceMinor !== undefined || f.maxPriceMinor !== undefined) active.add("price");
  if (f.minRating !== undefined) active.add("rating");
  if (f.inStock !== undefined) active.add("inStock");
  return active;
}

/** A comma-separated or repeated query parameter as a list without blanks or repeats. */
export function listParam(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(","));
  return [...new Set(parts.map((p) => p.trim()).filter(Boolean))];
}

export interface PriceBucket {
  fromMinor: number;
  /** Exclusive; null for the open-ended top bucket. */
  toMinor: number | null;
  count: number;
}

/**
 * Every bucket, in order, with its count. `rows` are Postgres `width_bucket`
 * results over PRICE_BOUNDS_MINOR: 0 below the first bound, n at or above the nth.
 */
export function priceBuckets(rows: { bucket: number; count: number }[]): PriceBucket[] {
  const counts = new Map(rows.map((r) => [r.bucket, r.count]));
  const edges = [0, ...PRICE_BOUNDS_MINOR];
  return edges.map((from, i) => ({ fromMinor: from, toMinor: PRICE_BOUNDS_MINOR[i] ?? null, count: counts.get(i) ?? 0 }));
}

export interface RatingBucket {
  /** "minRating stars and up". */
  minRating: number;
  count: number;
}

/** "4 and up" ... "1 and up" from counts per whole star (floor of the average, 0 to 5). */
export function ratingBuckets(rows: { stars: number; count: number }[]): RatingBucket[] {
  const counts = new Map(rows.map((r) => [r.stars, r.count]));
  const result: RatingBucket[] = [];
  let cumulative = counts.get(5) ?? 0;
  for (let stars = 4; stars >= 1; stars--) {
    cumulative += counts.get(stars) ?? 0;
    result.push({ minRating: stars, count: cumulative });
  }
  return result;
}

/** The markers ts_headline puts around matches: private-use characters, so no product text is mistaken for them. */
export const MARK_START = "\uE000";
export const MARK_END = "\uE001";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Product text is not trusted HTML: everything is escaped, and only the
 * highlight markers become `<mark>` elements, always balanced.
 */
export function renderHighlight(marked: string | null): string | null {
  if (marked === null) return null;
  let open = false;
  let out = "";
  for (const ch of marked) {
    if (ch === MARK_START) {
      if (!open) out += "<mark>";
      open = true;
    } else if (ch === MARK_END) {
      if (open) out += "</mark>";
      open = false;
    } else {
      out += ESCAPES[ch] ?? ch;
    }
  }
  return open ? out + "</mark>" : out;
}

export function nextPage(page: number, limit: number, total: number): number | null {
  return page * limit < total && page < MAX_PAGE ? page + 1 : null;
}
