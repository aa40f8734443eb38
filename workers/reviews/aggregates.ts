/**
 * Each product's rating aggregate (reviews.product_ratings), changed by the
 * increments of rating-math.ts inside the transaction of the review change
 * that causes them. The row is locked by the update until that transaction
 * commits, so concurrent changes of one product's reviews apply one after
 * the other and the version orders them.
 */
import { sql } from "drizzle-orm";
import type { ProductRatingSummary } from "../../queues/contracts/events/review.ts";
import type { Queryable } from "../platform/db.ts";
import { emptyHistogram, type Histogram, isZeroDelta, summarize } from "./rating-math.ts";

type Row = { stars_1: number; stars_2: number; stars_3: number; stars_4: number; stars_5: number; version: number };
const histogramOf = (r: Row): Histogram => [r.stars_1, r.stars_2, r.stars_3, r.stars_4, r.stars_5];

export async function readRatingSummary(db: Queryable, productId: string): Promise<ProductRatingSummary> {
  const result = await db.execute<Row>(
    sql`select stars_1, stars_2, stars_3, stars_4, stars_5, version from reviews.product_ratings where product_id = ${productId}`,
  );
  const row = result.rows[0];
  return row ? summarize(productId, histogramOf(row), row.version) : summarize(productId, emptyHistogram(), 0);
}

/** Adds `delta` to the product's histogram (a new version) and answers the figures after it. */
export async function applyRatingDelta(tx: Queryable, productId: string, delta: Histogram): Promise<ProductRatingSummary> {
  if (isZeroDelta(delta)) return readRatingSummary(tx, productId);
  const [d1, d2, d3, d4, d5] = delta;
  const count = d1 + d2 + d3 + d4 + d5;
  const total = d1 + 2 * d2 + 3 * d3 + 4 * d4 + 5 * d5;
  const moved = sql`
      stars_1 = r.stars_1 + ${d1}, stars_2 = r.stars_2 + ${d2}, stars_3 = r.stars_3 + ${d3}, stars_4 = r.stars_4 + ${d4}, stars_5 = r.stars_5 + ${d5},
      rating_count = r.rating_count + ${count}, rating_total = r.rating_total + ${total}, version = r.version + 1, updated_at = now()`;
  const returning = sql`returning stars_1, stars_2, stars_3, stars_4, stars_5, version`;
  // Postgres checks an insert's values before it finds the conflict, so a delta that takes a review
  // away (the row exists: the review was counted) is an update, and only one that adds may create the row.
  const result = delta.some((n) => n < 0)
    ? await tx.execute<Row>(sql`update reviews.product_ratings as r set ${moved} where r.product_id = ${productId} ${returning}`)
    : await tx.execute<Row>(sql`
        insert into reviews.product_ratings as r (product_id, stars_1, stars_2, stars_3, stars_4, stars_5, rating_count, rating_total, version)
        values (${productId}, ${d1}, ${d2}, ${d3}, ${d4}, ${d5}, ${count}, ${total}, 1)
        on conflict (product_id) do update set ${moved} ${returning}`);
  if (result.rows.length === 0) throw new Error(`no rating aggregate for ${productId} to take a review from`);
  return summarize(productId, histogramOf(result.rows[0]!), result.rows[0]!.version);
}
