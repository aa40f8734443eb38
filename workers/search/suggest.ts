/**
 * Autocomplete: product names that start with the typed text or have a word
 * that does, or that are similar to it (pg_trgm word similarity, for typos),
 * through the trigram GIN index on the normalised name, shortest first; and
 * brands and categories whose name starts with it, through prefix indexes.
 * One statement.
 */
import { type SQL, sql } from "drizzle-orm";

export interface Suggestions {
  products: { productId: string; slug: string; name: string }[];
  brands: { slug: string; name: string; count: number }[];
  categories: { path: string; name: string; count: number }[];
}

/** Brands and categories suggested at most. */
const MAX_GROUPS = 5;

/** The statement; it returns one row whose `result` column is a Suggestions object. */
export function suggestStatement(q: string, limit: number): SQL {
  // The normalised text appears inline (not through a CTE) so that Postgres folds it into a
  // constant when planning, which is what lets a LIKE prefix use the indexes.
  const qn = sql`search.normalize(${q})`;
  return sql`
    select json_build_object(
      'products', coalesce((
        select json_agg(json_build_object('productId', x.product_id, 'slug', x.slug, 'name', x.name) order by x.score desc, length(x.name), x.name)
        from (
          -- Completions first (of the whole name, then of a later word); the similarity is
          -- computed only for the typo matches, which keeps the cost per candidate low.
          select d.product_id, d.slug, d.name,
            case when d.name_norm like ${qn} || '%' then 3 when d.name_norm like '% ' || ${qn} || '%' then 2
              else word_similarity(${qn}, d.name_norm) end as score
          from search.documents d
          where d.status = 'active'
            and (d.name_norm like ${qn} || '%' or d.name_norm like '% ' || ${qn} || '%' or ${qn} <% d.name_norm)
          order by score desc, length(d.name), d.name
          limit ${limit}
        ) x
      ), '[]'::json),
      'brands', coalesce((
        select json_agg(json_build_object('slug', x.brand_slug, 'name', x.name, 'count', x.n) order by x.n desc, x.name)
        from (
          select d.brand_slug, min(d.brand_name) as name, count(*) as n from search.documents d
          where d.status = 'active' and search.normalize(d.brand_name) like ${qn} || '%'
          group by d.brand_slug order by n desc, name limit ${MAX_GROUPS}
        ) x
      ), '[]'::json),
      'categories', coalesce((
        select json_agg(json_build_object('path', x.category_path, 'name', x.name, 'count', x.n) order by x.n desc, x.name)
        from (
          select d.category_path, min(d.category_name) as name, count(*) as n from search.documents d
          where d.status = 'active' and search.normalize(d.category_name) like ${qn} || '%'
          group by d.category_path order by n desc, name limit ${MAX_GROUPS}
        ) x
      ), '[]'::json)
    ) as result`;
}
