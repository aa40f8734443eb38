/**
 * The nightly rebuild: refreshes the catalogue projection from the
 * catalogue, then recomputes the co-purchase and popularity tables from the
 * order lines and the signal log, so whatever drift incremental updates
 * accumulated (a lost view, a bug fixed since) is gone by morning. The
 * tables are locked against the consumer for the recompute, which runs in
 * one transaction: a consumer's update either committed before (and is in
 * the recompute) or waits and applies on top of it.
 */
import { sql } from "drizzle-orm";
import { getStockLevels } from "../inventory/index.ts";
import type { Database } from "../platform/db.ts";
import type { Job } from "../platform/job.ts";
import { loadProductSnapshots } from "../products/index.ts";
import { applyItem } from "./catalog-projection.ts";
import { TREND_HALF_LIFE_SECONDS } from "./model-updates.ts";

/** Signals older than this no longer move trending (2^-30 of their weight) and are pruned. */
export const SIGNAL_RETENTION_DAYS = 90;
const PAGE_SIZE = 250;

async function refreshCatalog(db: Database): Promise<number> {
  let afterId: string | null = null;
  let products = 0;
  do {
    const page = await loadProductSnapshots(db, { afterId, limit: PAGE_SIZE });
    for (const p of page.items) await applyItem(db, p);
    // Stock that no inventory event has reported yet comes from the inventory projection, below any event's version.
    const levels = [
      ...(
        await getStockLevels(
          db,
          page.items.flatMap((p) => p.variants.map((v) => v.sku)),
        )
      ).values(),
    ];
    if (levels.length > 0)
      await db.execute(sql`
        insert into recommendations.sku_stock (sku, available, version)
        select sku, available, 0 from unnest(${sql.param(levels.map((l) => l.sku))}::text[], ${sql.param(levels.map((l) => l.available))}::int[]) as t(sku, available)
        order by sku
        on conflict (sku) do update set available = excluded.available where sku_stock.version = 0`);
    products += page.items.length;
    afterId = page.nextAfterId;
  } while (afterId);
  return products;
}

export async function rebuildModel(db: Database, runId: string): Promise<Record<string, number>> {
  const products = await refreshCatalog(db);
  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table recommendations.order_lines, recommendations.user_products, recommendations.co_purchase,
      recommendations.product_stats, recommendations.signals in share row exclusive mode`);
    const pruned = await tx.execute(sql`
      delete from recommendations.signals where occurred_at < now() - make_interval(days => ${SIGNAL_RETENTION_DAYS}) returning 1`);
    await tx.execute(sql`delete from recommendations.user_products`);
    await tx.execute(sql`
      insert into recommendations.user_products (user_id, product_id, purchases, last_at)
      select user_id, product_id, count(*)::int, max(ordered_at) from recommendations.order_lines
      where state = 'confirmed' group by user_id, product_id`);
    await tx.execute(sql`delete from recommendations.co_purchase`);
    const pairs = await tx.execute<{ n: number }>(sql`
      with ins as (
        insert into recommendations.co_purchase (product_id, other_id, customers)
        select a.product_id, b.product_id, count(*)::int from recommendations.user_products a
        join recommendations.user_products b on a.user_id = b.user_id and a.product_id <> b.product_id
        group by a.product_id, b.product_id
        returning 1
      ) select count(*)::int as n from ins`);
    await tx.execute(sql`delete from recommendations.product_stats`);
    await tx.execute(sql`
      insert into recommendations.product_stats (product_id, buyers, trend_score, trend_at)
      select product_id, max(buyers)::int, greatest(0, sum(score)), now() from (
        select product_id, count(*) as buyers, 0::float8 as score from recommendations.user_products group by product_id
        union all
        select product_id, 0, sum(weight * power(0.5, greatest(0, extract(epoch from (now() - occurred_at))) / ${TREND_HALF_LIFE_SECONDS}))
        from recommendations.signals group by product_id
      ) parts group by product_id`);
    const figures = {
      products,
      pairs: pairs.rows[0]!.n,
      signalsPruned: pruned.rows.length,
    };
    await tx.execute(sql`insert into recommendations.model_builds (id, figures) values (${runId}, ${JSON.stringify(figures)}::jsonb)`);
    return figures;
  });
}

export const recommendationsRebuild: Job = {
  name: "recommendations-rebuild",
  description: "Rebuild the recommendation tables (catalogue projection, co-purchase pairs, buyers, trending) from order lines and signals",
  crons: ["17 3 * * *"],
  timeoutMs: 14 * 60_000,
  announceSuccess: true,
  run: ({ db, runId }) => rebuildModel(db, runId),
};
