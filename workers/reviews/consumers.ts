/**
 * What the reviews family does with events, subscribed in its index
 * (workers/reviews/index.ts):
 *
 * - `search` group: each review event's `productRating` goes to the search
 *   projection through the indexer's `applyRating`, which keeps the newest
 *   version;
 * - `pipeline` group: the same figures go to the catalogue's rating columns
 *   through `applyRatingSummary`. Those columns keep no version, so this
 *   family remembers the newest version it has handed over (rating_feeds)
 *   and hands over only newer ones; the row lock of that upsert orders
 *   racing consumers. Order events become the facts behind the
 *   verified-purchase mark (purchases.ts).
 *
 * Every handler runs in the framework's transaction, which also records the
 * event as processed, so a redelivery has no second effect.
 */
import { sql } from "drizzle-orm";
import type { ProductRatingSummary } from "../../queues/contracts/events/review.ts";
import type { Queryable } from "../platform/db.ts";
import { applyRatingSummary } from "../products/index.ts";
import { applyRating } from "../search/index.ts";

/** Version 0 means the product never had an approved review: nothing to show yet. */
export async function feedSearchRating(tx: Queryable, rating: ProductRatingSummary): Promise<void> {
  if (rating.version === 0) return;
  await applyRating(tx, { productId: rating.productId, average: rating.average, count: rating.count, version: rating.version });
}

/** Returns whether the catalogue was given the figures (false: it already has these or newer ones). */
export async function feedCatalogRating(tx: Queryable, rating: ProductRatingSummary): Promise<boolean> {
  if (rating.version === 0) return false;
  const advanced = await tx.execute(sql`
    insert into reviews.rating_feeds as f (product_id, target, version) values (${rating.productId}, 'catalog', ${rating.version})
    on conflict (product_id, target) do update set version = excluded.version, updated_at = now()
    where f.version < excluded.version
    returning f.version`);
  if (advanced.rows.length === 0) return false;
  await applyRatingSummary(tx, rating.productId, { average: rating.average, count: rating.count });
  return true;
}
