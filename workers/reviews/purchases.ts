/**
 * The verified-purchase mark. Order events (consumed in the `pipeline`
 * group) are recorded as facts: who ordered which products, and whether the
 * order was confirmed or cancelled. Each handler writes only its own fact
 * with an upsert, so the events commute and may arrive in any order or more
 * than once. The mark itself is derived when reviews are read (VERIFIED_SQL
 * in list-query.ts), which keeps it right however a review and an order
 * event race.
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../platform/db.ts";
import { quoteSkus } from "../products/index.ts";
import { VERIFIED_SQL } from "./list-query.ts";

export async function hasVerifiedPurchase(db: Queryable, userId: string, productId: string): Promise<boolean> {
  const result = await db.execute<{ verified: boolean }>(sql`
    select ${VERIFIED_SQL} as verified from (select ${userId}::text as user_id, ${productId}::text as product_id) r`);
  return result.rows[0]?.verified === true;
}

/** OrderCreated: the order's products, found through the catalogue's SKU quotes (SKUs it no longer has are skipped). */
export async function recordOrderLines(tx: Queryable, order: { orderId: string; userId: string; skus: string[] }): Promise<number> {
  await tx.execute(
    sql`insert into reviews.purchase_orders (order_id, user_id) values (${order.orderId}, ${order.userId}) on conflict (order_id) do nothing`,
  );
  const productIds = [...new Set([...(await quoteSkus(tx, order.skus)).values()].map((q) => q.productId))].sort();
  if (productIds.length === 0) return 0;
  const inserted = await tx.execute(sql`
    insert into reviews.purchase_lines (order_id, user_id, product_id)
    select ${order.orderId}, ${order.userId}, p from unnest(${sql.param(productIds)}::text[]) as p
    on conflict do nothing`);
  return inserted.rowCount ?? 0;
}

/** OrderConfirmed or OrderCancelled: the first time each happened is kept. */
export async function recordOrderState(
  tx: Queryable,
  order: { orderId: string; userId: string },
  state: "confirmed" | "cancelled",
  at: Date,
): Promise<void> {
  const column = state === "confirmed" ? sql.raw("confirmed_at") : sql.raw("cancelled_at");
  await tx.execute(sql`
    insert into reviews.purchase_orders as o (order_id, user_id, ${column}) values (${order.orderId}, ${order.userId}, ${at.toISOString()})
    on conflict (order_id) do update set ${column} = coalesce(o.${column}, excluded.${column}), updated_at = now()`);
}
