/**
 * The order lines the co-purchase model needs, per product: written when an
 * order is created, counted when it is confirmed, taken back when a
 * confirmed order is cancelled or returned. Order events name lines only on
 * creation, so the later events look them up here.
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../platform/db.ts";

export interface OrderLine {
  productId: string;
  userId: string;
}

/** Lines of a new order, summed per product (an order may hold several variants of one product). */
export async function recordOrderLines(
  db: Queryable,
  order: { orderId: string; userId: string; lines: readonly { productId: string; quantity: number }[] },
  at: string,
): Promise<void> {
  const quantities = new Map<string, number>();
  for (const l of order.lines) quantities.set(l.productId, (quantities.get(l.productId) ?? 0) + l.quantity);
  const ids = [...quantities.keys()].sort();
  await db.execute(sql`
    insert into recommendations.order_lines (order_id, product_id, user_id, quantity, state, ordered_at)
    select ${order.orderId}, p, ${order.userId}, q, 'created', ${at}::timestamptz
    from unnest(${sql.param(ids)}::text[], ${sql.param(ids.map((id) => quantities.get(id)!))}::int[]) as t(p, q)
    on conflict (order_id, product_id) do nothing`);
}

/**
 * Marks an order's created lines confirmed and returns them. An order whose
 * lines are not here yet (its OrderCreated still on its way) is retried by
 * throwing; an order already confirmed returns nothing.
 */
export async function confirmLines(db: Queryable, orderId: string): Promise<OrderLine[]> {
  const r = await db.execute<{ product_id: string; user_id: string; state: string; changed: boolean }>(sql`
    with target as (select product_id, state from recommendations.order_lines where order_id = ${orderId} for update),
    changed as (
      update recommendations.order_lines l set state = 'confirmed' from target
      where l.order_id = ${orderId} and l.product_id = target.product_id and target.state = 'created'
      returning l.product_id, l.user_id
    )
    select product_id, user_id, 'confirmed' as state, true as changed from changed
    union all select product_id, '' as user_id, state, false from target`);
  if (r.rows.length === 0) throw new Error(`Order ${orderId} confirmed before its lines arrived; retrying`);
  return r.rows.filter((row) => row.changed).map((row) => ({ productId: row.product_id, userId: row.user_id }));
}

/** Sets an order's lines to `state` and returns those that had been confirmed (the ones that counted). */
export async function takeBackLines(db: Queryable, orderId: string, state: "cancelled" | "returned"): Promise<OrderLine[]> {
  const r = await db.execute<{ product_id: string; user_id: string; was: string }>(sql`
    with target as (
      select product_id, state as was from recommendations.order_lines
      where order_id = ${orderId} and state in ('created', 'confirmed') order by product_id for update
    )
    update recommendations.order_lines l set state = ${state} from target
    where l.order_id = ${orderId} and l.product_id = target.product_id
    returning l.product_id, l.user_id, target.was`);
  return r.rows.filter((row) => row.was === "confirmed").map((row) => ({ productId: row.product_id, userId: row.user_id }));
}
