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
import { SQL, sql } from "drizzle-orm";
import type {
  OrderCancelled,
  OrderCompleted,
  OrderConfirmed,
  OrderCreated,
  ReturnInitiated,
} from "../../../queues/contracts/events/order.ts";
import { type Cte, dailyIncrements, type FactEvent, utcDay } from "./cte.ts";

const before = (name: string, orderId: string): Cte => ({
  name,
  query: sql`select created_at, confirmed_at, completed_at, cancelled_at, returned_at, units from analytics.order_facts where order_id = ${orderId}`,
});
/**
 * Upserts the order's row with the columns this event knows. A column keeps
 * the first value it was given (coalesce), which is what makes the order
 * events commute. Values are parameters, or SQL for casts.
 */
function orderFact(name: string, values: Record<string, unknown>, returning: string): Cte {
  const columns = Object.keys(values);
  const params = columns.map((c) => (values[c] instanceof SQL ? (values[c] as SQL) : sql`${values[c]}`));
  const keep = columns.filter((c) => c !== "order_id").map((c) => `${c} = coalesce(f.${c}, excluded.${c})`);
  return {
    name,
    query: sql`insert into analytics.order_facts as f (${sql.raw(columns.join(", "))}) values (${sql.join(params, sql`, `)})
      on conflict (order_id) do update set ${sql.raw([...keep, "updated_at = now()"].join(", "))}
      returning ${sql.raw(returning)}`,
  };
}
const at = (iso: string) => sql`${iso}::timestamptz`;

/** True unless the order row already had `column` set before this statement. */
const firstTime = (beforeCte: string, column: string) =>
  sql`not exists (select 1 from ${sql.raw(beforeCte)} where ${sql.raw(column)} is not null)`;

export function orderCreated(e: FactEvent<typeof OrderCreated>): Cte[] {
  const p = e.payload;
  const units = p.lines.reduce((n, l) => n + l.quantity, 0);
  const created = e.occurredAt;
  return [
    before("oc_before", p.orderId),
    orderFact(
      "oc_order",
      {
        order_id: p.orderId,
        order_number: p.orderNumber,
        customer_key: p.userId,
        currency: p.currency,
        subtotal_minor: p.subtotalMinor,
        discount_minor: p.discountMinor,
        shipping_minor: p.shippingMinor,
        tax_minor: p.taxMinor,
        total_minor: p.totalMinor,
        shipping_country: p.shippingCountry,
        line_count: p.lines.length,
        units,
        created_at: at(created),
      },
      "confirmed_at, cancelled_at",
    ),
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
      {
        day: utcDay(created),
        currency: p.currency,
        metric: "checkout_value_minor",
        value: p.totalMinor,
        when: firstTime("oc_before", "created_at"),
      },
      // Confirmed before its creation arrived: the units it could not count then.
      {
        day: sql`((select confirmed_at from oc_before) at time zone 'UTC')::date`,
        currency: p.currency,
        metric: "units_confirmed",
        value: units,
        when: sql`${firstTime("oc_before", "created_at")} and exists (select 1 from oc_before where confirmed_at is not null)`,
      },
    ]),
  ];
}

export function orderConfirmed(e: FactEvent<typeof OrderConfirmed>): Cte[] {
  const p = e.payload;
  const first = firstTime("ok_before", "confirmed_at");
  return [
    before("ok_before", p.orderId),
    orderFact(
      "ok_order",
      {
        order_id: p.orderId,
        order_number: p.orderNumber,
        customer_key: p.userId,
        currency: p.currency,
        total_minor: p.totalMinor,
        confirmed_at: at(e.occurredAt),
      },
      "confirmed_at",
    ),
    {
      name: "ok_lines",
      query: sql`update analytics.order_line_facts set confirmed_at = (select confirmed_at from ok_order) where order_id = ${p.orderId} and confirmed_at is null returning 1`,
    },
    dailyIncrements("ok_daily", [
      { day: utcDay(e.occurredAt), currency: p.currency, metric: "orders_confirmed", value: 1, when: first },
      { day: utcDay(e.occurredAt), currency: p.currency, metric: "revenue_minor", value: p.totalMinor, when: first },
      {
        day: utcDay(e.occurredAt),
        currency: p.currency,
        metric: "units_confirmed",
        value: sql`coalesce((select units from ok_before), 0)`,
        when: first,
      },
    ]),
  ];
}

export function orderCompleted(e: FactEvent<typeof OrderCompleted>): Cte[] {
  const p = e.payload;
  return [
    before("oo_before", p.orderId),
    orderFact(
      "oo_order",
      {
        order_id: p.orderId,
        order_number: p.orderNumber,
        customer_key: p.userId,
        currency: p.currency,
        total_minor: p.totalMinor,
        completed_at: at(p.completedAt),
      },
      "1",
    ),
    dailyIncrements("oo_daily", [
      {
        day: utcDay(p.completedAt),
        currency: p.currency,
        metric: "orders_completed",
        value: 1,
        when: firstTime("oo_before", "completed_at"),
      },
    ]),
  ];
}

export function orderCancelled(e: FactEvent<typeof OrderCancelled>): Cte[] {
  const p = e.payload;
  return [
    before("ox_before", p.orderId),
    orderFact(
      "ox_order",
      {
        order_id: p.orderId,
        order_number: p.orderNumber,
        customer_key: p.userId,
        currency: p.currency,
        cancelled_at: at(e.occurredAt),
        cancel_reason: p.reason,
      },
      "cancelled_at",
    ),
    {
      name: "ox_lines",
      query: sql`update analytics.order_line_facts set cancelled_at = (select cancelled_at from ox_order) where order_id = ${p.orderId} and cancelled_at is null returning 1`,
    },
    dailyIncrements("ox_daily", [
      {
        day: utcDay(e.occurredAt),
        currency: p.currency,
        metric: "orders_cancelled",
        value: 1,
        when: firstTime("ox_before", "cancelled_at"),
      },
    ]),
  ];
}

export function returnInitiated(e: FactEvent<typeof ReturnInitiated>): Cte[] {
  const p = e.payload;
  return [
    before("or_before", p.orderId),
    orderFact("or_order", { order_id: p.orderId, order_number: p.orderNumber, customer_key: p.userId, returned_at: at(e.occurredAt) }, "1"),
    dailyIncrements("or_daily", [
      { day: utcDay(e.occurredAt), currency: "", metric: "returns_initiated", value: 1, when: firstTime("or_before", "returned_at") },
    ]),
  ];
}
