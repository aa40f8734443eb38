/**
 * Sales: confirmed orders of one currency in a period. Revenue is what the
 * orders were confirmed for (totals, with shipping and tax), counted when
 * confirmed; refunds are the refunds issued in the period; units come from
 * the orders' lines. Broken down by time bucket or shipping country, rows
 * carry refunds too; by product, category or brand they carry the lines'
 * merchandise value instead (a refund names an order, not a line).
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../../platform/db.ts";
import { bucketOf, bucketSeries, labelOf, type Period, within } from "./period.ts";

export const SALES_DIMENSIONS = ["period", "product", "category", "brand", "region"] as const;
export type SalesDimension = (typeof SALES_DIMENSIONS)[number];

export interface SalesFigures {
  orders: number;
  units: number;
  revenueMinor: number;
  averageOrderValueMinor: number;
  refunds: number | null;
  refundedMinor: number | null;
}

export interface SalesRow extends SalesFigures {
  key: string | null;
  label: string | null;
}

export interface SalesReport {
  totals: SalesFigures & { refunds: number; refundedMinor: number; netRevenueMinor: number };
  rows: SalesRow[];
}

type Raw = {
  key: string | null;
  label: string | null;
  orders: string | number;
  units: string | number | null;
  revenue: string | number | null;
  refunds: string | number | null;
  refunded: string | number | null;
};

const n = (v: string | number | null | undefined) => Number(v ?? 0);
export const aov = (revenue: number, orders: number) => (orders === 0 ? 0 : Math.round(revenue / orders));

function figures(r: Raw, withRefunds: boolean): SalesFigures {
  const orders = n(r.orders);
  const revenueMinor = n(r.revenue);
  return {
    orders,
    units: n(r.units),
    revenueMinor,
    averageOrderValueMinor: aov(revenueMinor, orders),
    refunds: withRefunds ? n(r.refunds) : null,
    refundedMinor: withRefunds ? n(r.refunded) : null,
  };
}

const confirmed = (p: Period, currency: string) => sql`o.currency = ${currency} and ${within(sql`o.confirmed_at`, p)}`;
const refunded = (p: Period, currency: string) =>
  sql`r.currency = ${currency} and r.kind = 'refunded' and ${within(sql`r.occurred_at`, p)}`;

async function totals(db: Queryable, p: Period, currency: string): Promise<SalesReport["totals"]> {
  const r = await db.execute<Raw>(sql`
    select null as key, null as label, o.orders, o.units, o.revenue, r.refunds, r.refunded
    from (select count(*) as orders, sum(units) as units, sum(total_minor) as revenue from analytics.order_facts o where ${confirmed(p, currency)}) o,
         (select count(*) as refunds, sum(amount_minor) as refunded from analytics.payment_facts r where ${refunded(p, currency)}) r`);
  const f = figures(r.rows[0]!, true);
  return { ...f, refunds: f.refunds!, refundedMinor: f.refundedMinor!, netRevenueMinor: f.revenueMinor - f.refundedMinor! };
}

function byPeriod(p: Period, currency: string) {
  return sql`
    with buckets as (${bucketSeries(p)}),
    o as (select ${bucketOf(sql`o.confirmed_at`, p.granularity)} as b, count(*) as orders, sum(o.units) as units, sum(o.total_minor) as revenue
          from analytics.order_facts o where ${confirmed(p, currency)} group by 1),
    r as (select ${bucketOf(sql`r.occurred_at`, p.granularity)} as b, count(*) as refunds, sum(r.amount_minor) as refunded
          from analytics.payment_facts r where ${refunded(p, currency)} group by 1)
    select ${labelOf(sql`buckets.b`)} as key, ${labelOf(sql`buckets.b`)} as label, coalesce(o.orders, 0) as orders, o.units, o.revenue, coalesce(r.refunds, 0) as refunds, r.refunded
    from buckets left join o on o.b = buckets.b left join r on r.b = buckets.b
    order by buckets.b`;
}

function byRegion(p: Period, currency: string, limit: number) {
  // '' stands for "not known" (a refund whose order never announced its creation), so the full join can match on equality.
  return sql`
    with o as (select coalesce(o.shipping_country, '') as key, count(*) as orders, sum(o.units) as units, sum(o.total_minor) as revenue
               from analytics.order_facts o where ${confirmed(p, currency)} group by 1),
    r as (select coalesce(o.shipping_country, '') as key, count(*) as refunds, sum(r.amount_minor) as refunded
          from analytics.payment_facts r left join analytics.order_facts o on o.order_id = r.order_id where ${refunded(p, currency)} group by 1)
    select nullif(coalesce(o.key, r.key), '') as key, nullif(coalesce(o.key, r.key), '') as label, coalesce(o.orders, 0) as orders, o.units, o.revenue, coalesce(r.refunds, 0) as refunds, r.refunded
    from o full join r on r.key = o.key
    order by coalesce(o.revenue, 0) desc, 1 nulls last
    limit ${limit}`;
}

/** Product, category or brand: confirmed lines, grouped through the product dimension. */
function byCatalog(p: Period, currency: string, dim: "product" | "category" | "brand", limit: number) {
  const key = { product: sql`l.product_id`, category: sql`d.category_id`, brand: sql`d.brand_id` }[dim];
  const label = { product: sql`max(d.name)`, category: sql`max(d.category_name)`, brand: sql`max(d.brand_name)` }[dim];
  return sql`
    select ${key} as key, ${label} as label, count(distinct l.order_id) as orders, sum(l.quantity) as units, sum(l.line_total_minor) as revenue, null as refunds, null as refunded
    from analytics.order_line_facts l left join analytics.product_dim d on d.product_id = l.product_id
    where l.currency = ${currency} and ${within(sql`l.confirmed_at`, p)}
    group by ${key}
    order by revenue desc, 1 nulls last
    limit ${limit}`;
}

export async function salesReport(db: Queryable, p: Period, currency: string, by: SalesDimension, limit: number): Promise<SalesReport> {
  const query =
    by === "period" ? byPeriod(p, currency) : by === "region" ? byRegion(p, currency, limit) : byCatalog(p, currency, by, limit);
  // One after the other on one connection: a second connection costs more than the query.
  const t = await totals(db, p, currency);
  const rows = await db.execute<Raw>(query);
  const withRefunds = by === "period" || by === "region";
  return { totals: t, rows: rows.rows.map((r) => ({ key: r.key, label: r.label, ...figures(r, withRefunds) })) };
}
