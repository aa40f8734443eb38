/**
 * Customers of one currency: per bucket, those whose first confirmed order
 * ever falls in it (new) and those who had ordered before it (returning),
 * with the revenue of each group; and the top customers of the period by
 * revenue, named only by their pseudonym.
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../../platform/db.ts";
import { bucketOf, bucketSeries, labelOf, type Period, within } from "./period.ts";

export interface CustomerSplit {
  newCustomers: number;
  returningCustomers: number;
  newRevenueMinor: number;
  returningRevenueMinor: number;
}

export interface TopCustomer {
  customerKey: string;
  orders: number;
  revenueMinor: number;
  firstOrderAt: string;
  lastOrderAt: string;
}

export interface CustomersReport {
  totals: CustomerSplit;
  buckets: ({ period: string } & CustomerSplit)[];
  top: TopCustomer[];
}

type Raw = {
  period: string | null;
  new_customers: string | null;
  returning_customers: string | null;
  new_revenue: string | null;
  returning_revenue: string | null;
};
const split = (r: Raw): CustomerSplit => ({
  newCustomers: Number(r.new_customers ?? 0),
  returningCustomers: Number(r.returning_customers ?? 0),
  newRevenueMinor: Number(r.new_revenue ?? 0),
  returningRevenueMinor: Number(r.returning_revenue ?? 0),
});

export async function customersReport(db: Queryable, p: Period, currency: string, top: number): Promise<CustomersReport> {
  const g = p.granularity;
  const result = await db.execute<Raw>(sql`
    with orders as (
      select customer_key, total_minor, ${bucketOf(sql`confirmed_at`, g)} as b from analytics.order_facts
      where currency = ${currency} and customer_key is not null and ${within(sql`confirmed_at`, p)}
    ),
    firsts as (
      select c.customer_key, (select min(f.confirmed_at) from analytics.order_facts f
                              where f.customer_key = c.customer_key and f.currency = ${currency} and f.confirmed_at is not null) as first_at
      from (select distinct customer_key from orders) c
    ),
    per_bucket as (
      select o.b, o.customer_key, sum(o.total_minor) as revenue, ${bucketOf(sql`min(f.first_at)`, g)} = o.b as is_new
      from orders o join firsts f using (customer_key) group by o.b, o.customer_key
    ),
    per_period as (
      select pb.customer_key, sum(pb.revenue) as revenue, min(f.first_at) >= ${p.from.toISOString()}::timestamptz as is_new
      from per_bucket pb join firsts f using (customer_key) group by pb.customer_key
    ),
    per as (select b, revenue, is_new from per_bucket union all select null, revenue, is_new from per_period),
    counts as (
      select b, count(*) filter (where is_new) as new_customers, count(*) filter (where not is_new) as returning_customers,
        sum(revenue) filter (where is_new) as new_revenue, sum(revenue) filter (where not is_new) as returning_revenue
      from per group by b
    ),
    buckets as (${bucketSeries(p)} union all select null)
    select case when buckets.b is null then null else ${labelOf(sql`buckets.b`)} end as period, new_customers, returning_customers, new_revenue, returning_revenue
    from buckets left join counts on counts.b is not distinct from buckets.b
    order by buckets.b nulls first`);
  const topRows = await db.execute<{
    customer_key: string;
    orders: string;
    revenue: string;
    first_at: Date | string;
    last_at: Date | string;
  }>(sql`
    select customer_key, count(*) as orders, sum(total_minor) as revenue, min(confirmed_at) as first_at, max(confirmed_at) as last_at
    from analytics.order_facts
    where currency = ${currency} and customer_key is not null and ${within(sql`confirmed_at`, p)}
    group by customer_key
    order by revenue desc, customer_key collate "C"
    limit ${top}`);
  const [whole, ...buckets] = result.rows;
  return {
    totals: split(whole!),
    buckets: buckets.map((r) => ({ period: r.period!, ...split(r) })),
    top: topRows.rows.map((r) => ({
      customerKey: r.customer_key,
      orders: Number(r.orders),
      revenueMinor: Number(r.revenue),
      firstOrderAt: new Date(r.first_at).toISOString(),
      lastOrderAt: new Date(r.last_at).toISOString(),
    })),
  };
}
