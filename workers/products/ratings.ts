/**
 * The rating a product shows and listings sort by. The reviews family owns
 * reviews and their aggregates; it reports each product's average and count
 * here (from its consumer, inside the handler's transaction). A rating is
 * not admin-edited data, so it does not bump the product's version (which
 * would make an admin's If-Match stale); public responses change their
 * content ETag, and cached copies refresh within their s-maxage.
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../platform/db.ts";

export async function applyRatingSummary(db: Queryable, productId: string, summary: { average: number; count: number }): Promise<boolean> {
  const average = summary.count === 0 ? 0 : Math.min(5, Math.max(0, Math.round(summary.average * 100) / 100));
  const result = await db.execute(
    sql`update catalog.products set rating_avg = ${average}, rating_count = ${Math.max(0, Math.trunc(summary.count))} where id = ${productId}`,
  );
  return (result.rowCount ?? 0) > 0;
}
