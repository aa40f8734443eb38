/**
 * Cohorts: customers grouped by the bucket they signed up in (a week by
 * default), and for each following bucket the share of the cohort that
 * ordered in it (a confirmed order; of one currency, if given). Buckets that
 * have not begun by the end of the period are null, which gives the
 * retention triangle.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../../platform/db.ts";
import { rate } from "./funnel.ts";
import { bucketOf, fromParam, type Granularity, labelOf, nextBucket, type Period, toParam, within } from "./period.ts";

export interface Cohort {
  cohort: string;
  size: number;
  /** Index k: the k-th bucket after the sign-up bucket (0 = the same one). */
  retention: ({ offset: number; customers: number; share: number | null } | null)[];
}

/** Whole buckets between two bucket starts. */
function offsetSql(g: Granularity, b: SQL, c: SQL): SQL {
  if (g === "month")
    return sql`((extract(year from ${b}) * 12 + extract(month from ${b})) - (extract(year from ${c}) * 12 + extract(month from ${c})))::int`;
  const seconds = g === "week" ? 7 * 86_400 : 86_400;
  return sql`round(extract(epoch from (${b} - ${c})) / ${sql.raw(String(seconds))})::int`;
}

export async function cohortReport(db: Queryable, p: Period, periods: number, currency?: string): Promise<Cohort[]> {
  const g = p.granularity;
  const orderCurrency = currency ? sql`and o.currency = ${currency}` : sql``;
  const result = await db.execute<{ cohort: string; size: string; k: number | null; customers: string | null }>(sql`
    with cohort as (
      select customer_key, ${bucketOf(sql`signed_up_at`, g)} as c from analytics.signup_facts where ${within(sql`signed_up_at`, p)}
    ),
    sizes as (select c, count(*) as size from cohort group by c),
    active as (
      select distinct cohort.c, cohort.customer_key, ${offsetSql(g, bucketOf(sql`o.confirmed_at`, g), sql`cohort.c`)} as k
      from cohort join analytics.order_facts o on o.customer_key = cohort.customer_key
      -- Orders before the first cohort's bucket fall at a negative offset: not read at all.
      where o.confirmed_at >= (${bucketOf(fromParam(p), g)}) at time zone 'UTC' and o.confirmed_at < ${toParam(p)} ${orderCurrency}
    ),
    retained as (select c, k, count(*) as customers from active where k >= 0 and k < ${periods} group by c, k)
    select ${labelOf(sql`sizes.c`)} as cohort, sizes.size, retained.k, retained.customers
    from sizes left join retained on retained.c = sizes.c
    order by sizes.c, retained.k`);
  const cohorts = new Map<string, Cohort>();
  for (const r of result.rows) {
    const label = r.cohort;
    const start = new Date(`${label}T00:00:00Z`);
    let cohort = cohorts.get(label);
    if (!cohort) {
      const size = Number(r.size);
      // A bucket that begins at or after the end of the period cannot be observed yet.
      const retention = Array.from({ length: periods }, (_, k) =>
        nextBucket(start, g, k) < p.to ? { offset: k, customers: 0, share: rate(0, size) } : null,
      );
      cohort = { cohort: label, size, retention };
      cohorts.set(label, cohort);
    }
    if (r.k !== null && cohort.retention[r.k])
      cohort.retention[r.k] = { offset: r.k, customers: Number(r.customers), share: rate(Number(r.customers), cohort.size) };
  }
  return [...cohorts.values()];
}
