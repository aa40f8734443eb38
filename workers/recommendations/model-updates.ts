/**
 * Incremental updates of the co-purchase and popularity tables, one event at
 * a time inside the consumer's transaction (which also records the event as
 * processed, so a redelivery changes nothing).
 *
 * The co-purchase model counts customers, not orders: when a customer's net
 * purchases of a product go from 0 to 1, the pair count of that product with
 * every other product the customer holds grows by one (both ways), and the
 * product's buyer count too; a cancellation or return that takes them back
 * to 0 undoes exactly that. Statements touch pairs in key order, so two
 * consumers updating overlapping pairs wait for each other instead of
 * deadlocking.
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../platform/db.ts";

/** Trending scores halve every three days. */
export const TREND_HALF_LIFE_SECONDS = 72 * 3600;

export interface Signal {
  id: string;
  userId: string | null;
  productId: string;
  kind: "view" | "cart" | "purchase" | "review" | "cancel" | "return";
  weight: number;
  occurredAt: string;
}

/** Records a signal and folds its weight into the product's decayed trending score; a repeated id does nothing. */
export async function recordSignal(db: Queryable, s: Signal): Promise<boolean> {
  const inserted = await db.execute(sql`
    insert into recommendations.signals (id, user_id, product_id, kind, weight, occurred_at)
    values (${s.id}, ${s.userId}, ${s.productId}, ${s.kind}, ${s.weight}, ${s.occurredAt}::timestamptz)
    on conflict (id) do nothing returning id`);
  if (inserted.rows.length === 0) return false;
  // Both sides are brought to the later of the two instants before they are added, so events may arrive in any order.
  await db.execute(sql`
    insert into recommendations.product_stats as p (product_id, trend_score, trend_at)
    values (${s.productId}, greatest(0, ${s.weight}), ${s.occurredAt}::timestamptz)
    on conflict (product_id) do update set
      trend_score = greatest(0,
        p.trend_score * power(0.5, greatest(0, extract(epoch from (${s.occurredAt}::timestamptz - p.trend_at))) / ${TREND_HALF_LIFE_SECONDS})
        + ${s.weight} * power(0.5, greatest(0, extract(epoch from (p.trend_at - ${s.occurredAt}::timestamptz))) / ${TREND_HALF_LIFE_SECONDS})),
      trend_at = greatest(p.trend_at, ${s.occurredAt}::timestamptz)`);
  return true;
}

/** One more confirmed purchase of a product by a customer; a first one joins the customer's products into pairs. */
export async function addPurchase(db: Queryable, userId: string, productId: string, at: string): Promise<void> {
  const held = await db.execute<{ purchases: number }>(sql`
    insert into recommendations.user_products as u (user_id, product_id, purchases, last_at) values (${userId}, ${productId}, 1, ${at}::timestamptz)
    on conflict (user_id, product_id) do update set purchases = u.purchases + 1, last_at = greatest(u.last_at, excluded.last_at)
    returning purchases`);
  if (held.rows[0]?.purchases !== 1) return;
  await db.execute(sql`
    with others as (
      select product_id from recommendations.user_products where user_id = ${userId} and purchases > 0 and product_id <> ${productId}
    )
    insert into recommendations.co_purchase as c (product_id, other_id, customers)
    select a, b, 1 from (
      select ${productId}::text as a, product_id as b from others union all select product_id, ${productId}::text from others
    ) pairs order by a, b
    on conflict (product_id, other_id) do update set customers = c.customers + 1`);
  await db.execute(sql`
    insert into recommendations.product_stats as p (product_id, buyers) values (${productId}, 1)
    on conflict (product_id) do update set buyers = p.buyers + 1`);
}

/** One confirmed purchase taken back (cancelled or returned); the last one takes the customer's pairs back out. */
export async function removePurchase(db: Queryable, userId: string, productId: string): Promise<void> {
  const held = await db.execute<{ purchases: number }>(sql`
    update recommendations.user_products set purchases = purchases - 1
    where user_id = ${userId} and product_id = ${productId} and purchases > 0 returning purchases`);
  if (held.rows[0]?.purchases !== 0) return;
  await db.execute(sql`
    with others as (
      select product_id from recommendations.user_products where user_id = ${userId} and purchases > 0 and product_id <> ${productId}
    ),
    pairs as (
      select ${productId}::text as a, product_id as b from others union all select product_id, ${productId}::text from others
    ),
    locked as (
      select c.product_id, c.other_id from recommendations.co_purchase c join pairs on c.product_id = pairs.a and c.other_id = pairs.b
      order by c.product_id, c.other_id for update of c
    )
    update recommendations.co_purchase c set customers = c.customers - 1
    from locked where c.product_id = locked.product_id and c.other_id = locked.other_id`);
  await db.execute(
    sql`delete from recommendations.co_purchase where customers <= 0 and (product_id = ${productId} or other_id = ${productId})`,
  );
  await db.execute(sql`update recommendations.product_stats set buyers = greatest(0, buyers - 1) where product_id = ${productId}`);
}
