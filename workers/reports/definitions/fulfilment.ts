/**
 * Order fulfilment: of the orders confirmed in the period, how many shipped,
 * how long shipping took (hours from confirmation to the first dispatch:
 * average, median, 90th percentile), how many deliveries were late (delivered
 * after the carrier's estimated day, or not delivered with that day already
 * past when the report is made), and the returns rate (orders with a return
 * started per order shipped), in total, per day of confirmation and per
 * carrier. From the analytics order and delivery facts; no money, so support
 * reads it whole.
 */
import { z } from "@hono/zod-openapi";
import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../../platform/db.ts";
import { type Column, sectionOf } from "../formats/report-model.ts";
import { defineReport } from "./definition.ts";
import type { Period } from "./params.ts";
import { periodParams } from "./params.ts";

type Figures = {
  orders: string | number;
  shipped: string | number;
  avg_hours: string | number | null;
  median_hours: string | number | null;
  p90_hours: string | number | null;
  delivered: string | number;
  late: string | number;
  returned: string | number;
};

/** One row per order confirmed in the period, with its shipment's times (UTC days). */
function perOrder(period: Period, now: Date, filters: { country?: string | undefined; carrier?: string | undefined }): SQL {
  return sql`
    with o as (
      select order_id, confirmed_at, returned_at
      from analytics.order_facts
      where confirmed_at >= ${period.from.toISOString()}::timestamptz and confirmed_at < ${period.to.toISOString()}::timestamptz
        ${filters.country ? sql`and shipping_country = ${filters.country}` : sql``}
    ), s as (
      select d.order_id,
        min(d.occurred_at) filter (where d.kind = 'dispatched') as dispatched_at,
        min(coalesce(d.delivered_at, d.occurred_at)) filter (where d.kind = 'delivered') as delivered_at,
        max(d.estimated_delivery) as estimated, max(d.carrier) as carrier
      from analytics.delivery_facts d join o using (order_id)
      group by d.order_id
    )
    select o.order_id, (o.confirmed_at at time zone 'UTC')::date as day, s.carrier,
      extract(epoch from s.dispatched_at - o.confirmed_at) / 3600.0 as hours,
      s.delivered_at is not null as delivered,
      coalesce(s.estimated < coalesce((s.delivered_at at time zone 'UTC')::date, (${now.toISOString()}::timestamptz at time zone 'UTC')::date), false) as late,
      o.returned_at is not null and s.dispatched_at is not null as returned
    from o left join s using (order_id)
    ${filters.carrier ? sql`where s.carrier = ${filters.carrier}` : sql``}`;
}

const figures = (group: SQL, key: SQL) => sql`
  select ${key} as key, count(*) as orders, count(hours) as shipped,
    avg(hours) as avg_hours,
    percentile_cont(0.5) within group (order by hours) as median_hours,
    percentile_cont(0.9) within group (order by hours) as p90_hours,
    count(*) filter (where delivered) as delivered, count(*) filter (where late) as late, count(*) filter (where returned) as returned
  from (${group}) x`;

const UNSHIPPED = "(not shipped)";

const hours = (v: string | number | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);
const rate = (n: number, of: number) => (of === 0 ? null : n / of);

function row(f: Figures) {
  const shipped = Number(f.shipped);
  const returned = Number(f.returned);
  const late = Number(f.late);
  return {
    orders: Number(f.orders),
    shipped,
    notShipped: Number(f.orders) - shipped,
    avgHours: hours(f.avg_hours),
    medianHours: hours(f.median_hours),
    p90Hours: hours(f.p90_hours),
    delivered: Number(f.delivered),
    late,
    lateRate: rate(late, shipped),
    returned,
    returnsRate: rate(returned, shipped),
  };
}

const FIGURES: Column[] = [
  { key: "orders", label: "Orders confirmed", type: "integer" },
  { key: "shipped", label: "Shipped", type: "integer" },
  { key: "notShipped", label: "Not shipped", type: "integer" },
  { key: "avgHours", label: "Hours to ship (average)", type: "decimal" },
  { key: "medianHours", label: "Hours to ship (median)", type: "decimal" },
  { key: "p90Hours", label: "Hours to ship (90th percentile)", type: "decimal" },
  { key: "delivered", label: "Delivered", type: "integer" },
  { key: "late", label: "Late", type: "integer" },
  { key: "lateRate", label: "Late share of shipped", type: "rate" },
  { key: "returned", label: "Returned", type: "integer" },
  { key: "returnsRate", label: "Returns rate", type: "rate" },
];

async function grouped(db: Queryable, orders: SQL, key: SQL) {
  const r = await db.execute<Figures & { key: string | Date | null }>(sql`${figures(orders, key)} group by 1 order by 1`);
  return r.rows;
}

export const orderFulfilment = defineReport({
  id: "order-fulfilment",
  title: "Order fulfilment",
  description:
    "Of the orders confirmed in the period: shipped, hours from confirmation to dispatch, late deliveries and the returns rate, per day and per carrier.",
  access: ["admin", "analyst", "support"],
  span: "week",
  params: z.strictObject({
    ...periodParams,
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, "ISO 3166-1 alpha-2 code")
      .optional()
      .openapi({ description: "Only orders shipped to this country" }),
    carrier: z
      .string()
      .min(1)
      .max(60)
      .regex(/^[^\u0000-\u001F]+$/, "a carrier's name")
      .optional()
      .openapi({ description: "Only orders this carrier ships" }),
  }),
  async build(p, period, { db, now }) {
    const orders = perOrder(period, now, p);
    const [totals] = (await db.execute<Figures>(figures(orders, sql`1`))).rows;
    const days = await grouped(db, orders, sql`day`);
    const carriers = await grouped(db, orders, sql`coalesce(carrier, ${UNSHIPPED})`);
    const dayText = (d: string | Date | null) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));
    return {
      currency: null,
      sections: [
        sectionOf("Totals", FIGURES, [row(totals!)]),
        sectionOf(
          "Per day",
          [{ key: "day", label: "Day confirmed", type: "date" }, ...FIGURES],
          days.map((d) => ({ day: dayText(d.key), ...row(d) })),
          { label: "day", value: "avgHours", title: "Average hours to ship, per day of confirmation" },
        ),
        sectionOf(
          "By carrier",
          [{ key: "carrier", label: "Carrier", type: "text" }, ...FIGURES],
          // By name (as bytes, whatever the database's collation), the orders not yet shipped last.
          carriers
            .map((c) => ({ carrier: String(c.key), ...row(c) }))
            .sort((x, y) => Number(x.carrier === UNSHIPPED) - Number(y.carrier === UNSHIPPED) || (x.carrier < y.carrier ? -1 : 1)),
        ),
      ],
    };
  },
});
