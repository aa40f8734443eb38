/**
 * Stock over time: per bucket, the stock-out and low-stock crossings
 * (events, and distinct SKUs); the SKUs that ran out most often in the
 * period; and, as of now, the SKUs that are out of stock or low.
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../../platform/db.ts";
import { bucketOf, bucketSeries, labelOf, type Period, within } from "./period.ts";

export interface StockBucket {
  period: string;
  stockOuts: number;
  stockOutSkus: number;
  lowStockAlerts: number;
  lowStockSkus: number;
}

export interface InventoryReport {
  buckets: StockBucket[];
  topStockOuts: {
    sku: string;
    productId: string | null;
    productName: string | null;
    stockOuts: number;
    lowStockAlerts: number;
    lastStockOutAt: string | null;
  }[];
  current: {
    outOfStock: number;
    lowStock: number;
    skus: { sku: string; status: string; available: number; productName: string | null; since: string }[];
  };
}

export async function inventoryReport(db: Queryable, p: Period, limit: number): Promise<InventoryReport> {
  const buckets = await db.execute<{ period: string; so: string | null; sos: string | null; ls: string | null; lss: string | null }>(sql`
    with buckets as (${bucketSeries(p)}),
    f as (
      select ${bucketOf(sql`occurred_at`, p.granularity)} as b,
        count(*) filter (where kind = 'out_of_stock') as so, count(distinct sku) filter (where kind = 'out_of_stock') as sos,
        count(*) filter (where kind = 'low_stock') as ls, count(distinct sku) filter (where kind = 'low_stock') as lss
      from analytics.inventory_facts where ${within(sql`occurred_at`, p)} group by 1
    )
    select ${labelOf(sql`buckets.b`)} as period, so, sos, ls, lss from buckets left join f on f.b = buckets.b order by buckets.b`);
  const top = await db.execute<{
    sku: string;
    product_id: string | null;
    name: string | null;
    so: string;
    ls: string;
    last_out: Date | string | null;
  }>(sql`
    select i.sku, max(s.product_id) as product_id, max(d.name) as name,
      count(*) filter (where i.kind = 'out_of_stock') as so, count(*) filter (where i.kind = 'low_stock') as ls,
      max(i.occurred_at) filter (where i.kind = 'out_of_stock') as last_out
    from analytics.inventory_facts i
      left join analytics.sku_dim s on s.sku = i.sku
      left join analytics.product_dim d on d.product_id = s.product_id
    where ${within(sql`i.occurred_at`, p)}
    group by i.sku
    order by so desc, ls desc, i.sku
    limit ${limit}`);
  const current = await db.execute<{
    sku: string;
    status: string;
    available: number;
    name: string | null;
    since: Date | string;
    out_count: string;
    low_count: string;
  }>(sql`
    with c as (select count(*) filter (where status = 'out_of_stock') as out_count, count(*) filter (where status = 'low_stock') as low_count from analytics.sku_stock)
    select k.sku, k.status, k.available, d.name, k.updated_at as since, c.out_count, c.low_count
    from c left join lateral (
      select * from analytics.sku_stock where status in ('out_of_stock', 'low_stock') order by status desc, updated_at limit ${limit}
    ) k on true
    left join analytics.sku_dim s on s.sku = k.sku
    left join analytics.product_dim d on d.product_id = s.product_id`);
  const n = (v: string | null | undefined) => Number(v ?? 0);
  const first = current.rows[0];
  return {
    buckets: buckets.rows.map((r) => ({
      period: r.period,
      stockOuts: n(r.so),
      stockOutSkus: n(r.sos),
      lowStockAlerts: n(r.ls),
      lowStockSkus: n(r.lss),
    })),
    topStockOuts: top.rows.map((r) => ({
      sku: r.sku,
      productId: r.product_id,
      productName: r.name,
      stockOuts: n(r.so),
      lowStockAlerts: n(r.ls),
      lastStockOutAt: r.last_out ? new Date(r.last_out).toISOString() : null,
    })),
    current: {
      outOfStock: n(first?.out_count),
      lowStock: n(first?.low_count),
      skus: current.rows
        .filter((r) => r.sku !== null)
        .map((r) => ({
          sku: r.sku,
          status: r.status,
          available: Number(r.available),
          productName: r.name,
          since: new Date(r.since).toISOString(),
        })),
    },
  };
}
