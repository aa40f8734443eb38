/**
 * The reviews family's event handlers, wired into consumer groups in
 * queues/consumers/groups.ts:
 *
 * - `search` group: each review event's `productRating` goes to the search
 *   projection through the indexer's `applyRating`, which keeps the newest
 *   version;
 * - `pipeline` group: the same figures go to the catalogue's rating columns
 *   through `applyRatingSummary`. Those columns keep no version, so this
 *   family remembers the newest version it has handed over (rating_feeds)
 *   and hands over only newer ones; the row lock of that upsert orders
 *   racing consumers. Order events become the facts behind the
 *   verified-purchase mark.
 *
 * Every handler runs in the framework's transaction, which also records the
 * event as processed, so a redelivery has no second effect.
 */
import { sql } from "drizzle-orm";
import type { EventHandler, HandlerMap } from "../../queues/consumers/framework.ts";
import type { Envelope } from "../platform/events/envelope.ts";
import { OrderCancelled, OrderConfirmed, OrderCreated } from "../../queues/contracts/events/order.ts";
import { ReviewCreated, ReviewDeleted, ReviewModerated, ReviewUpdated, type ProductRatingSummary } from "../../queues/contracts/events/review.ts";
import type { Queryable } from "../platform/db.ts";
import { applyRatingSummary } from "../products/ratings.ts";
import { applyRating } from "../search/indexer.ts";
import { recordOrderLines, recordOrderState } from "./purchases.ts";

const RATING_EVENTS = [ReviewCreated, ReviewUpdated, ReviewModerated, ReviewDeleted].map((c) => c.type);
const ratingOf = (event: Envelope) => (event.payload as { productRating: ProductRatingSummary }).productRating;

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

const each = (types: string[], handler: EventHandler): HandlerMap => Object.fromEntries(types.map((t) => [t, [handler]]));

export const reviewSearchHandlers: HandlerMap = each(RATING_EVENTS, (event, { tx }) => feedSearchRating(tx, ratingOf(event)));

type OrderCreatedPayload = { orderId: string; userId: string; lines: { sku: string }[] };
type OrderStatePayload = { orderId: string; userId: string };

export const reviewPipelineHandlers: HandlerMap = {
  ...each(RATING_EVENTS, async (event, { tx }) => void (await feedCatalogRating(tx, ratingOf(event)))),
  [OrderCreated.type]: [
    async (event, { tx }) => {
      const p = event.payload as OrderCreatedPayload;
      await recordOrderLines(tx, { orderId: p.orderId, userId: p.userId, skus: p.lines.map((l) => l.sku) });
    },
  ],
  [OrderConfirmed.type]: [(event, { tx }) => recordOrderState(tx, event.payload as OrderStatePayload, "confirmed", new Date(event.occurredAt))],
  [OrderCancelled.type]: [(event, { tx }) => recordOrderState(tx, event.payload as OrderStatePayload, "cancelled", new Date(event.occurredAt))],
};
