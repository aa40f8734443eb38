/**
 * Order facts. One row per order, upserted by each order event: every
 * column is set by the first event that knows it and never cleared, and
 * each status time is set once, so the events commute (a confirmation that
 * arrives before the order's creation leaves the same row as the other way
 * round) and the status, derived from the times, never goes back. The lines
 * come with OrderCreated and carry the order's confirmation and
 * cancellation times, copied in by whichever event arrives second.
 *
 * The daily totals move only when a status time is first set (read from
 * the row as it was before the statement), so a repeated or duplicated
 * event adds nothing.
 */
import { sql } from "drizzle-orm";
import type { z } from "zod";
import type { OrderCancelled, OrderCompleted, OrderConfirmed, OrderCreated, ReturnInitiated } from "../../../queues/contracts/events/order.ts";
import type { ScrubbedEvent } from "../../pipeline/pii-scrub.ts";
import { dailyIncrements, utcDay, type Cte } from "./cte.ts";

type Payload<C extends { payload: z.ZodType }> = z.output<C["payload"]>;

const before = (name: string, orderId: string): Cte => ({
  name,
  query: sql`select created_at, confirmed_at, completed_at, cancelled_at, returned_at, units from analytics.order_facts where order_id = ${orderId}`,
});
/** True unless the order row already had `column` set before this statement. */
const firstTime = (beforeCte: string, column: string) => sql`not exists (select 1 from ${sql.raw(beforeCte)} where ${sql.raw(column)} is not null)`;

export function orderCreated(e: ScrubbedEvent): Cte[] {
  const p = e.payload as Payload<typeof OrderCreated>;
  const units = p.lines.reduce((n, l) => n + l.quantity, 0);
  const created = e.occurredAt;
  return [
    before("oc_before", p.orderId),
    {
      name: "oc_order",
      query: sql`
        insert into analytics.order_facts as f (order_id, order_number, customer_key, currency, subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, shipping_country, line_count, units, created_at)
        values (${p.orderId}, ${p.orderNumber}, ${p.userId}, ${p.currency}, ${p.subtotalMinor}, ${p.discountMinor}, ${p.shippingMinor}, ${p.taxMinor}, ${p.totalMinor}, ${p.shippingCountry}, ${p.lines.length}, ${units}, ${created}::timestamptz)
        on conflict (order_id) do update set
          order_number = coalesce(f.order_number, excluded.order_number), customer_key = coalesce(f.customer_key, excluded.customer_key),
          currency = coalesce(f.currency, excluded.currency), subtotal_minor = coalesce(f.subtotal_minor, excluded.subtotal_minor),
          discount_minor = coalesce(f.discount_minor, excluded.discount_minor), shipping_minor = coalesce(f.shipping_minor, excluded.shipping_minor),
          tax_minor = coalesce(f.tax_minor, excluded.tax_minor), total_minor = coalesce(f.total_minor, excluded.total_minor),
          shipping_country = coalesce(f.shipping_country, excluded.shipping_country), line_count = coalesce(f.line_count, excluded.line_count),
          units = coalesce(f.units, excluded.units), created_at = coalesce(f.created_at, excluded.created_at), updated_at = now()
        returning confirmed_at, cancelled_at`,
    },
    {
      name: "oc_lines",
      query: sql`
        insert into analytics.order_line_facts (order_id, line_no, event_id, product_id, sku, quantity, unit_price_minor, line_total_minor, currency, created_at, confirmed_at, cancelled_at)
        select ${p.orderId}, l.n, ${e.id}, l.product_id, l.sku, l.quantity, l.price, l.quantity::bigint * l.price, ${p.currency}, ${created}::timestamptz,
          (select confirmed_at from oc_order), (select cancelled_at from oc_order)
        from unnest(${sql.param(p.lines.map((l) => l.productId))}::text[], ${sql.param(p.lines.map((l) => l.sku))}::text[],
                    ${sql.param(p.lines.map((l) => l.quantity))}::int[], ${sql.param(p.lines.map((l) => l.unitPriceMinor))}::bigint[])
          with ordinality as l(product_id, sku, quantity, price, n)
        on conflict do nothing
        returning 1`,
    },
    dailyIncrements("oc_daily", [
      { day: utcDay(created), currency: p.currency, metric: "checkouts_started", value: 1, when: firstTime("oc_before", "created_at") },
      { day: utcDay(created), currency: p.currency, metric: "checkout_value_minor", value: p.totalMinor, when: firstTime("oc_before", "created_at") },
      // Confirmed before its creation arrived: the units it could not count then.
      { day: sql`((select confirmed_at from oc_before) at time zone 'UTC')::date`, currency: p.currency, metric: "units_confirmed", value: units, when: sql`${firstTime("oc_before", "created_at")} and exists (select 1 from oc_before where confirmed_at is not null)` },
    ]),
  ];
}

export function orderConfirmed(e: ScrubbedEvent): Cte[] {
  const p = e.payload as Payload<typeof OrderConfirmed>;
  const first = firstTime("ok_before", "confirmed_at");
  return [
    before("ok_before", p.orderId),
    {
      name: "ok_order",
      query: sql`
        insert into analytics.order_facts as f (order_id, order_number, customer_key, currency, total_minor, confirmed_at)
        values (${p.orderId}, ${p.orderNumber}, ${p.userId}, ${p.currency}, ${p.totalMinor}, ${e.occurredAt}::timestamptz)
        on conflict (order_id) do update set
          confirmed_at = coalesce(f.confirmed_at, excluded.confirmed_at), order_number = coalesce(f.order_number, excluded.order_number),
          customer_key = coalesce(f.customer_key, excluded.customer_key), currency = coalesce(f.currency, excluded.currency),
          total_minor = coalesce(f.total_minor, excluded.total_minor), updated_at = now()
        returning confirmed_at`,
    },
    { name: "ok_lines", query: sql`update analytics.order_line_facts set confirmed_at = (select confirmed_at from ok_order) where order_id = ${p.orderId} and confirmed_at is null returning 1` },
    dailyIncrements("ok_daily", [
      { day: utcDay(e.occurredAt), currency: p.currency, metric: "orders_confirmed", value: 1, when: first },
      { day: utcDay(e.occurredAt), currency: p.currency, metric: "revenue_minor", value: p.totalMinor, when: first },
      { day: utcDay(e.occurredAt), currency: p.currency, metric: "units_confirmed", value: sql`coalesce((select units from ok_before), 0)`, when: first },
    ]),
  ];
}

export function orderCompleted(e: ScrubbedEvent): Cte[] {
  const p = e.payload as Payload<typeof OrderCompleted>;
  return [
    before("oo_before", p.orderId),
    {
      name: "oo_order",
      query: sql`
        insert into analytics.order_facts as f (order_id, order_number, customer_key, currency, total_minor, completed_at)
        values (${p.orderId}, ${p.orderNumber}, ${p.userId}, ${p.currency}, ${p.totalMinor}, ${p.completedAt}::timestamptz)
        on conflict (order_id) do update set
          completed_at = coalesce(f.completed_at, excluded.completed_at), order_number = coalesce(f.order_number, excluded.order_number),
          customer_key = coalesce(f.customer_key, excluded.customer_key), currency = coalesce(f.currency, excluded.currency),
          total_minor = coalesce(f.total_minor, excluded.total_minor), updated_at = now()
        returning 1`,
    },
    dailyIncrements("oo_daily", [{ day: utcDay(p.completedAt), currency: p.currency, metric: "orders_completed", value: 1, when: firstTime("oo_before", "completed_at") }]),
  ];
}

export function orderCancelled(e: ScrubbedEvent): Cte[] {
  const p = e.payload as Payload<typeof OrderCancelled>;
  return [
    before("ox_before", p.orderId),
    {
      name: "ox_order",
      query: sql`
        insert into analytics.order_facts as f (order_id, order_number, customer_key, currency, cancelled_at, cancel_reason)
        values (${p.orderId}, ${p.orderNumber}, ${p.userId}, ${p.currency}, ${e.occurredAt}::timestamptz, ${p.reason})
        on conflict (order_id) do update set
          cancelled_at = coalesce(f.cancelled_at, excluded.cancelled_at), cancel_reason = coalesce(f.cancel_reason, excluded.cancel_reason),
          order_number = coalesce(f.order_number, excluded.order_number), customer_key = coalesce(f.customer_key, excluded.customer_key),
          currency = coalesce(f.currency, excluded.currency), updated_at = now()
        returning cancelled_at`,
    },
    { name: "ox_lines", query: sql`update analytics.order_line_facts set cancelled_at = (select cancelled_at from ox_order) where order_id = ${p.orderId} and cancelled_at is null returning 1` },
    dailyIncrements("ox_daily", [{ day: utcDay(e.occurredAt), currency: p.currency, metric: "orders_cancelled", value: 1, when: firstTime("ox_before", "cancelled_at") }]),
  ];
}

export function returnInitiated(e: ScrubbedEvent): Cte[] {
  const p = e.payload as Payload<typeof ReturnInitiated>;
  return [
    before("or_before", p.orderId),
    {
      name: "or_order",
      query: sql`
        insert into analytics.order_facts as f (order_id, order_number, customer_key, returned_at) values (${p.orderId}, ${p.orderNumber}, ${p.userId}, ${e.occurredAt}::timestamptz)
        on conflict (order_id) do update set returned_at = coalesce(f.returned_at, excluded.returned_at), order_number = coalesce(f.order_number, excluded.order_number),
          customer_key = coalesce(f.customer_key, excluded.customer_key), updated_at = now()
        returning 1`,
    },
    dailyIncrements("or_daily", [{ day: utcDay(e.occurredAt), currency: "", metric: "returns_initiated", value: 1, when: firstTime("or_before", "returned_at") }]),
  ];
}
