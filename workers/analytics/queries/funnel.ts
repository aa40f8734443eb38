/**
 * The funnel: product viewed -> added to cart -> checkout started
 * (OrderCreated) -> order confirmed, counted in distinct shoppers
 * (pseudonyms) per step, for the period and per bucket. `users` is everyone
 * who took the step; `reached` those who also took every earlier step in
 * the same period (or bucket), which is what the conversion rates divide.
 * Anonymous views and guest carts name no shopper: they are reported beside
 * the funnel, not in it. With a currency, only its orders count.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../../platform/db.ts";
import { bucketOf, bucketSeries, labelOf, type Period, within } from "./period.ts";

export const FUNNEL_STEPS = ["product_viewed", "added_to_cart", "checkout_started", "order_confirmed"] as const;

export interface FunnelStep {
  step: (typeof FUNNEL_STEPS)[number];
  users: number;
  reached: number;
  /** reached / the previous step's reached; null for the first step or when that is 0. */
  conversionRate: number | null;
}

export interface Funnel {
  steps: FunnelStep[];
  /** reached at the last step / reached at the first. */
  overallConversionRate: number | null;
}

export interface FunnelReport extends Funnel {
  anonymous: { productViews: number; guestCartAdds: number };
  /** Carts that idled out in the period, and abandoned carts a reminder's link brought back in it. */
  carts: { abandoned: number; recovered: number };
  buckets: ({ period: string } & Funnel)[];
}

export const rate = (num: number, den: number) => (den === 0 ? null : Math.round((num / den) * 10_000) / 10_000);

type Raw = { period: string | null; u1: string; u2: string; u3: string; u4: string; r1: string; r2: string; r3: string; r4: string };

export function toFunnel(r: Raw): Funnel {
  const users = [r.u1, r.u2, r.u3, r.u4].map(Number);
  const reached = [r.r1, r.r2, r.r3, r.r4].map(Number);
  const steps = FUNNEL_STEPS.map((step, i) => ({
    step,
    users: users[i]!,
    reached: reached[i]!,
    conversionRate: i === 0 ? null : rate(reached[i]!, reached[i - 1]!),
  }));
  return { steps, overallConversionRate: rate(reached[3]!, reached[0]!) };
}

export async function funnelReport(db: Queryable, p: Period, currency?: string): Promise<FunnelReport> {
  const g = p.granularity;
  const orderCurrency: SQL = currency ? sql`and currency = ${currency}` : sql``;
  const result = await db.execute<Raw>(sql`
    with steps as (
      select customer_key, ${bucketOf(sql`viewed_at`, g)} as b, 1 as bit from analytics.product_view_facts where customer_key is not null and ${within(sql`viewed_at`, p)}
      union all
      select customer_key, ${bucketOf(sql`occurred_at`, g)}, 2 from analytics.cart_facts where kind = 'added' and customer_key is not null and ${within(sql`occurred_at`, p)}
      union all
      select customer_key, ${bucketOf(sql`created_at`, g)}, 4 from analytics.order_facts where customer_key is not null and ${within(sql`created_at`, p)} ${orderCurrency}
      union all
      select customer_key, ${bucketOf(sql`confirmed_at`, g)}, 8 from analytics.order_facts where customer_key is not null and ${within(sql`confirmed_at`, p)} ${orderCurrency}
    ),
    per_bucket as (select b, customer_key, bit_or(bit) as mask from steps group by b, customer_key),
    per_period as (select customer_key, bit_or(mask) as mask from per_bucket group by customer_key),
    shoppers as (select b, mask from per_bucket union all select null, mask from per_period),
    counts as (
      select b,
        count(*) filter (where mask & 1 <> 0) as u1, count(*) filter (where mask & 2 <> 0) as u2,
        count(*) filter (where mask & 4 <> 0) as u3, count(*) filter (where mask & 8 <> 0) as u4,
        count(*) filter (where mask & 1 = 1) as r1, count(*) filter (where mask & 3 = 3) as r2,
        count(*) filter (where mask & 7 = 7) as r3, count(*) filter (where mask & 15 = 15) as r4
      from shoppers group by b
    ),
    buckets as (${bucketSeries(p)} union all select null)
    select case when buckets.b is null then null else ${labelOf(sql`buckets.b`)} end as period,
      coalesce(u1, 0) as u1, coalesce(u2, 0) as u2, coalesce(u3, 0) as u3, coalesce(u4, 0) as u4,
      coalesce(r1, 0) as r1, coalesce(r2, 0) as r2, coalesce(r3, 0) as r3, coalesce(r4, 0) as r4
    from buckets left join counts on counts.b is not distinct from buckets.b
    order by buckets.b nulls first`);
  const anon = await db.execute<{ views: string | null; carts: string; abandoned: string; recovered: string }>(sql`
    select (select sum(weight) from analytics.product_view_facts where customer_key is null and ${within(sql`viewed_at`, p)}) as views,
      (select count(distinct cart_id) from analytics.cart_facts where kind = 'added' and customer_key is null and ${within(sql`occurred_at`, p)}) as carts,
      (select count(distinct cart_id) from analytics.cart_facts where kind = 'abandoned' and ${within(sql`occurred_at`, p)}) as abandoned,
      (select count(distinct cart_id) from analytics.cart_facts where kind = 'recovered' and ${within(sql`occurred_at`, p)}) as recovered`);
  const [whole, ...buckets] = result.rows;
  return {
    ...toFunnel(whole!),
    anonymous: { productViews: Math.round(Number(anon.rows[0]?.views ?? 0)), guestCartAdds: Number(anon.rows[0]?.carts ?? 0) },
    carts: { abandoned: Number(anon.rows[0]?.abandoned ?? 0), recovered: Number(anon.rows[0]?.recovered ?? 0) },
    buckets: buckets.map((r) => ({ period: r.period!, ...toFunnel(r) })),
  };
}
