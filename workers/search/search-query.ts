/**
 * The search statement; with a query it is the second of two (query-words.ts
 * first reads what the catalogue knows of each word, query-plan.ts turns that
 * into a text-search query with typo corrections, prefixes and synonyms):
 * 1. the merchandising rules of the query (as typed or as corrected) are read:
 *    pinned products lead the ranking, boosted ones gain score;
 * 2. active products whose weighted tsvector matches the planned query are
 *    found through the GIN index and ranked: an exact name match first (as
 *    typed, then as corrected), then ts_rank over the weights (name A,
 *    brand and category B, description C), shorter documents first among
 *    equals (ts_rank rather than ts_rank_cd: it costs a third per match, and
 *    the proximity ts_rank_cd adds matters little in short product texts);
 * 3. the filters apply to the page and the total; each facet counts the
 *    matches under every filter but its own;
 * 4. ts_headline marks the matches in the page's names and descriptions.
 * Without a query the same statement browses the active catalogue.
 */
import { type SQL, sql } from "drizzle-orm";
import {
  activeFilters,
  type FacetName,
  MARK_END,
  MARK_START,
  MAX_FACET_VALUES,
  PRICE_BOUNDS_MINOR,
  type SearchFilters,
  type SearchSort,
} from "./domain.ts";
import type { QueryPlan } from "./query-plan.ts";

export interface SearchInput {
  q: string | null;
  /** How the query is read (query-plan.ts); present whenever `q` is. */
  plan: QueryPlan | null;
  filters: SearchFilters;
  sort: SearchSort;
  page: number;
  limit: number;
}

export interface SearchItemRow {
  productId: string;
  slug: string;
  name: string;
  brand: { slug: string; name: string } | null;
  category: { slug: string; name: string; path: string } | null;
  priceMinMinor: number | null;
  priceMaxMinor: number | null;
  compareAtMinor: number | null;
  currency: string | null;
  imageUrl: string | null;
  inStock: boolean;
  ratingAverage: number;
  ratingCount: number;
  score: number;
  nameMarked: string | null;
  snippetMarked: string | null;
}

export interface SearchRows {
  /** The words matched, before and after typo correction (the first MAX_QUERY_WORDS words only). */
  typed: string;
  corrected: string;
  total: number;
  items: SearchItemRow[];
  categories: { value: string; label: string; count: number }[];
  brands: { value: string; label: string; count: number }[];
  prices: { bucket: number; count: number }[];
  ratings: { stars: number; count: number }[];
  stock: { inStock: boolean; count: number }[];
}

const HEADLINE_NAME = `StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`;
const HEADLINE_SNIPPET = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=28, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "`;

/** Each filter as a condition on a row `m` of the matches. */
function filterConditions(f: SearchFilters): Partial<Record<FacetName, SQL>> {
  const c: Partial<Record<FacetName, SQL>> = {};
  if (f.categories.length > 0) {
    // One prefix per path (paths hold no LIKE wildcards): the category and everything under it, through one index range.
    const each = f.categories.map((path) => sql`m.category_key like ${`${path}/%`}`);
    c.category = sql`(${sql.join(each, sql` or `)})`;
  }
  if (f.brands.length > 0) c.brand = sql`m.brand_slug = any(${sql.param(f.brands)}::text[])`;
  if (f.minPriceMinor !== undefined || f.maxPriceMinor !== undefined) {
    c.price = sql`m.price_min_minor between ${f.minPriceMinor ?? 0} and ${f.maxPriceMinor ?? 2_147_483_647}`;
  }
  if (f.minRating !== undefined) c.rating = sql`m.rating_average >= ${f.minRating}`;
  if (f.inStock !== undefined) c.inStock = sql`m.in_stock = ${f.inStock}`;
  return c;
}

/** The ORDER BY of a sort, over rows called `alias`. */
function orderBy(sort: SearchSort, hasQuery: boolean, alias: string): SQL {
  const a = sql.raw(alias);
  switch (sort) {
    case "price_asc":
      return sql`${a}.price_min_minor asc nulls last, ${a}.product_id`;
    case "price_desc":
      return sql`${a}.price_min_minor desc nulls last, ${a}.product_id`;
    case "rating":
      return sql`${a}.rating_average desc, ${a}.rating_count desc, ${a}.product_id`;
    case "newest":
      return sql`${a}.product_created_at desc nulls last, ${a}.product_id desc`;
    case "relevance":
      return hasQuery ? sql`${a}.score desc, ${a}.product_id` : sql`${a}.product_created_at desc nulls last, ${a}.product_id desc`;
  }
}

/**
 * The most frequent values of a facet with their labels. Counting per
 * (value, label) pair first lets an index on the pair serve the count as an
 * index-only scan in key order; a value seen under two labels (a category
 * renamed while its products are being reindexed) is merged afterwards.
 */
function facetValues(value: string, label: string, from: SQL, where: SQL): SQL {
  const [v, l] = [sql.raw(value), sql.raw(label)];
  return sql`select ${v}, min(${l}) as label, sum(n)::int as n
    from (select m.${v}, m.${l}, count(*) as n from ${from} where m.${v} is not null and ${where} group by m.${v}, m.${l}) pairs
    group by ${v} order by n desc, ${v} limit ${MAX_FACET_VALUES}`;
}

/** Above any text score (an exact name match scores 10 plus at most 1): a pin at position p scores this minus p. */
const PIN_SCORE = 1_000;

/** The columns every part of the statement reads from a candidate row. */
const CANDIDATE = sql`m.product_id, m.category_key, m.category_path, m.category_name, m.brand_slug, m.brand_name, m.price_min_minor, m.rating_average, m.rating_count, m.in_stock, m.product_created_at`;

/** The statement; it returns one row whose `result` column is a SearchRows object. */
export function searchStatement(input: SearchInput): SQL {
  const conditions = filterConditions(input.filters);
  const active = activeFilters(input.filters);
  const hasQuery = input.q !== null;
  const plan = input.plan;
  const currency = input.filters.currency ? sql`m.currency = ${input.filters.currency}` : null;
  // With a query, the matches are found once (GIN index), scored and kept in memory, and every
  // part below reads them. Without one, each part reads the projection through the index that
  // suits its own conditions, instead of materialising the whole catalogue.
  const from = hasQuery ? sql`matched m` : sql`search.documents m`;
  const base = hasQuery ? [] : [sql`m.status = 'active'`, ...(currency ? [currency] : [])];
  /** Every filter except `except`'s own. */
  const where = (except?: FacetName): SQL => {
    const parts = [...base, ...[...active].filter((name) => name !== except).map((name) => conditions[name]!)];
    return parts.length > 0 ? sql.join(parts, sql` and `) : sql`true`;
  };
  const score = hasQuery
    ? sql`(case when m.name_norm = (select qnorm from terms) then 10 when m.name_norm = (select corrected from terms) then 8 else 0 end)
          + ts_rank('{0.1, 0.2, 0.4, 1.0}', m.document, (select tsq from terms), 1 | 32)`
    : sql`0::float8`;
  const headlines = hasQuery
    ? sql`ts_headline('search.english_unaccent', d.name, (select tsq from terms), ${HEADLINE_NAME}),
          ts_headline('search.english_unaccent', d.description, (select tsq from terms), ${HEADLINE_SNIPPET})`
    : sql`null::text, null::text`;
  const matching = hasQuery
    ? sql`
    query as materialized (
      select search.normalize(${input.q}) as qnorm, ${plan?.typed ?? ""}::text as typed, ${plan?.corrected ?? ""}::text as corrected
    ),
    terms as (
      select qnorm, typed, corrected, to_tsquery('english', ${plan?.tsquery ?? ""}) as tsq from query
    ),
    merchandised as materialized (
      select x.product_id, x.kind, x.position, x.boost from search.merchandising x
      where x.query = any(array[(select qnorm from query), (select corrected from query)])
    ),
    pinned as (select array_agg(product_id) as ids from merchandised where kind = 'pin'),
    matched as materialized (
      select ${CANDIDATE}, ${score} + coalesce(b.boost, 0) as score
      from search.documents m left join merchandised b on b.product_id = m.product_id and b.kind = 'boost'
      where m.status = 'active' and m.document @@ (select tsq from terms) ${currency ? sql`and ${currency}` : sql``}
        and m.product_id <> all(coalesce((select ids from pinned), '{}'))
      union all
      -- Pinned products lead the ranking in their order, whether or not the text matches them.
      select ${CANDIDATE}, ${PIN_SCORE} - p.position as score
      from search.documents m join merchandised p on p.product_id = m.product_id and p.kind = 'pin'
      where m.status = 'active' ${currency ? sql`and ${currency}` : sql``}
    ),`
    : sql``;

  return sql`
    with ${matching}
    page as (
      select ${CANDIDATE}, ${hasQuery ? sql`m.score` : sql`0::float8`} as score
      from ${from} where ${where()}
      order by ${orderBy(input.sort, hasQuery, "m")} limit ${input.limit} offset ${(input.page - 1) * input.limit}
    )
    select json_build_object(
      'typed', ${hasQuery ? sql`(select typed from terms)` : sql`''`},
      'corrected', ${hasQuery ? sql`(select corrected from terms)` : sql`''`},
      'total', (select count(*) from ${from} where ${where()}),
      'items', coalesce((
        select json_agg(json_build_object(
          'productId', d.product_id, 'slug', d.slug, 'name', d.name,
          'brand', case when d.brand_slug is null then null else json_build_object('slug', d.brand_slug, 'name', d.brand_name) end,
          'category', case when d.category_path is null then null else json_build_object('slug', d.category_slug, 'name', d.category_name, 'path', d.category_path) end,
          'priceMinMinor', d.price_min_minor, 'priceMaxMinor', d.price_max_minor, 'compareAtMinor', d.compare_at_minor,
          'currency', d.currency, 'imageUrl', d.image_url, 'inStock', d.in_stock,
          'ratingAverage', d.rating_average, 'ratingCount', d.rating_count, 'score', p.score,
          'nameMarked', h.name_marked, 'snippetMarked', h.snippet_marked) order by ${orderBy(input.sort, hasQuery, "p")})
        from page p
        join search.documents d on d.product_id = p.product_id
        cross join lateral (select ${headlines}) as h(name_marked, snippet_marked)
      ), '[]'::json),
      'categories', coalesce((
        select json_agg(json_build_object('value', x.category_path, 'label', x.label, 'count', x.n) order by x.n desc, x.category_path)
        from (${facetValues("category_path", "category_name", from, where("category"))}) x
      ), '[]'::json),
      'brands', coalesce((
        select json_agg(json_build_object('value', x.brand_slug, 'label', x.label, 'count', x.n) order by x.n desc, x.brand_slug)
        from (${facetValues("brand_slug", "brand_name", from, where("brand"))}) x
      ), '[]'::json),
      'prices', coalesce((
        select json_agg(json_build_object('bucket', x.bucket, 'count', x.n))
        from (select width_bucket(m.price_min_minor, ${sql.param([...PRICE_BOUNDS_MINOR])}::bigint[]) as bucket, count(*) as n from ${from}
              where m.price_min_minor is not null and ${where("price")} group by 1) x
      ), '[]'::json),
      'ratings', coalesce((
        select json_agg(json_build_object('stars', x.stars, 'count', x.n))
        from (select least(floor(m.rating_average), 5)::int as stars, count(*) as n from ${from} where ${where("rating")} group by 1) x
      ), '[]'::json),
      'stock', coalesce((
        select json_agg(json_build_object('inStock', x.in_stock, 'count', x.n))
        from (select m.in_stock, count(*) as n from ${from} where ${where("inStock")} group by 1) x
      ), '[]'::json)
    ) as result`;
}
