/**
 * The statements that read reviews: the columns every read selects (with the
 * verified-purchase mark derived from the recorded order facts) and the
 * statement of a list page. Kept apart from the request code so the
 * benchmark can explain exactly the statement the Worker runs.
 */
import { and, asc, desc, eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import { alias, type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { type ReviewStatus, reviews } from "../../db/schema/reviews.ts";
import { decodeCursor, type ReviewSort } from "./cursor.ts";

/** Reviews under the alias `r`, which VERIFIED_SQL refers to. */
export const r = alias(reviews, "r");

/**
 * True for a review (alias `r`) whose author has a confirmed, uncancelled
 * order with its product. A scalar subquery rather than EXISTS: Postgres may
 * run an EXISTS as a hash of every purchase, built for each page, while this
 * is a few index lookups per row of the page.
 */
export const VERIFIED_SQL: SQL<boolean> = sql<boolean>`coalesce((
  select true from reviews.purchase_lines l join reviews.purchase_orders o on o.order_id = l.order_id
  where l.user_id = r.user_id and l.product_id = r.product_id and o.confirmed_at is not null and o.cancelled_at is null
  limit 1), false)`;

export const columns = { ...getTableColumns(r), verifiedPurchase: VERIFIED_SQL };

export interface ListFilter {
  productId?: string;
  userId?: string;
  status: ReviewStatus | "all";
  stars?: number;
  verified?: boolean;
  sort: ReviewSort;
  limit: number;
  cursor?: string;
}

function order(sort: ReviewSort): SQL[] {
  switch (sort) {
    case "newest":
      return [desc(r.id)];
    case "oldest":
      return [asc(r.id)];
    case "rating_desc":
      return [desc(r.rating), desc(r.id)];
    case "rating_asc":
      return [asc(r.rating), desc(r.id)];
    case "helpful":
      return [desc(r.helpfulCount), desc(r.id)];
  }
}

/** Strictly after the cursor's key, in the sort's order. */
function after(sort: ReviewSort, key: (string | number)[]): SQL {
  const [a, b] = key;
  switch (sort) {
    case "newest":
      return sql`${r.id} < ${a}`;
    case "oldest":
      return sql`${r.id} > ${a}`;
    case "rating_desc":
      return sql`(${r.rating}, ${r.id}) < (${a}::smallint, ${b}::text)`;
    case "rating_asc":
      return sql`(${r.rating} > ${a}::smallint or (${r.rating} = ${a}::smallint and ${r.id} < ${b}::text))`;
    case "helpful":
      return sql`(${r.helpfulCount}, ${r.id}) < (${a}::int, ${b}::text)`;
  }
}

/**
 * A page's statement: one row more than the limit, to know whether another
 * page follows. Any drizzle Postgres database runs it (the Worker's, or the
 * benchmark's node-postgres client), whatever its schema type.
 */
// biome-ignore lint/suspicious/noExplicitAny: any drizzle Postgres database (the Worker's and the benchmark's drivers differ); the query is driver-independent.
export function listReviewsQuery(db: PgDatabase<PgQueryResultHKT, any>, f: ListFilter) {
  const where = and(
    f.productId ? eq(r.productId, f.productId) : undefined,
    f.userId ? eq(r.userId, f.userId) : undefined,
    f.status !== "all" ? eq(r.status, f.status) : undefined,
    f.stars ? eq(r.rating, f.stars) : undefined,
    f.verified ? VERIFIED_SQL : undefined,
    f.cursor ? after(f.sort, decodeCursor(f.cursor, f.sort)) : undefined,
  );
  return db
    .select(columns)
    .from(r)
    .where(where)
    .orderBy(...order(f.sort))
    .limit(f.limit + 1);
}
