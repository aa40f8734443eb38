/**
 * The family's reads of the orders tables: pages of orders for the API and
 * the orders the recovery job should wake. Every write of an order is its
 * object's (durable-objects/order/store.ts).
 */
import { and, asc, desc, eq, gte, inArray, isNotNull, like, lt, or, sql } from "drizzle-orm";
import { orderLines, orders } from "../../db/schema/orders.ts";
import { GUEST_PREFIX, type LineRow, type OrderRow, type OrderStatus } from "../../durable-objects/order/index.ts";
import type { Queryable } from "../platform/db.ts";

export interface ListFilter {
  userId?: string;
  status?: OrderStatus;
  /** An order number or its beginning (already upper case). */
  numberPrefix?: string;
  /** Placed at or after `from`, before `until`. */
  from?: Date;
  until?: Date;
  /** The last item of the previous page: (createdAt, id). */
  before?: { createdAt: Date; id: string };
  limit: number;
}

export async function listOrders(db: Queryable, f: ListFilter): Promise<{ rows: OrderRow[]; hasMore: boolean }> {
  const conditions = [
    f.userId ? eq(orders.userId, f.userId) : undefined,
    f.status ? eq(orders.status, f.status) : undefined,
    // The schema allows letters, digits and '-' only, so the prefix holds no LIKE wildcard.
    f.numberPrefix ? like(orders.number, `${f.numberPrefix}%`) : undefined,
    f.from ? gte(orders.createdAt, f.from) : undefined,
    f.until ? lt(orders.createdAt, f.until) : undefined,
    f.before
      ? or(lt(orders.createdAt, f.before.createdAt), and(eq(orders.createdAt, f.before.createdAt), lt(orders.id, f.before.id)))
      : undefined,
  ].filter((c) => c !== undefined);
  const rows = await db
    .select()
    .from(orders)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(f.limit + 1);
  return { rows: rows.slice(0, f.limit), hasMore: rows.length > f.limit };
}

export async function linesOf(db: Queryable, orderIds: string[]): Promise<Map<string, LineRow[]>> {
  const out = new Map<string, LineRow[]>();
  if (orderIds.length === 0) return out;
  const rows = await db
    .select()
    .from(orderLines)
    .where(inArray(orderLines.orderId, orderIds))
    .orderBy(asc(orderLines.orderId), asc(orderLines.lineNo));
  for (const r of rows) out.set(r.orderId, [...(out.get(r.orderId) ?? []), r]);
  return out;
}

/**
 * Orders the recovery job should wake: a saga that has not moved for
 * `staleSeconds` (its alarm may be lost), a pending order whose hold has
 * lapsed, an order whose payment deadline passed, and a customer's cancel
 * of a confirmed order that was cut short.
 */
export async function ordersToRecover(db: Queryable, staleSeconds: number, limit: number): Promise<{ id: string; status: OrderStatus }[]> {
  const r = await db.execute<{ id: string; status: OrderStatus }>(sql`
    select id, status from orders.orders
    where (status in ('confirming', 'cancelling') and updated_at < now() - make_interval(secs => ${staleSeconds}) and (retry_at is null or retry_at < now()))
       or (status = 'pending' and hold_expires_at < now())
       or (status = 'awaiting_payment' and (payment_deadline < now() or updated_at < now() - make_interval(secs => ${staleSeconds * 10})))
       or (status = 'confirmed' and exists (select 1 from orders.saga_steps s where s.order_id = orders.id and s.step = 'shipment_halted' and s.state <> 'failed'
             and s.started_at < now() - make_interval(secs => ${staleSeconds})))
    order by updated_at
    limit ${limit}`);
  return r.rows;
}

/** A guest order by its number (null for an account's order or an unknown number). */
export async function findGuestOrderByNumber(db: Queryable, number: string): Promise<OrderRow | null> {
  const rows = await db
    .select()
    .from(orders)
    .where(and(eq(orders.number, number), isNotNull(orders.guestEmail)));
  return rows[0] ?? null;
}

/** The ids of the unclaimed guest orders placed with an address (case-folded), for the claim. */
export async function unclaimedGuestOrders(db: Queryable, email: string): Promise<string[]> {
  const rows = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(sql`lower(${orders.guestEmail}) = ${email.trim().toLowerCase()}`, sql`starts_with(${orders.userId}, ${GUEST_PREFIX})`));
  return rows.map((r) => r.id);
}
