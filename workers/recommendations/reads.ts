/**
 * Reads of the precomputed tables for the recommenders: each returns a few
 * rows by primary key or a small indexed range, and only products that can
 * be recommended now (active, in stock) unless it is a seed's own features.
 */
import { sql } from "drizzle-orm";
import type { Queryable } from "../platform/db.ts";
import { RECOMMENDABLE } from "./catalog-projection.ts";
import { TREND_HALF_LIFE_SECONDS } from "./model-updates.ts";
import { type ItemFeatures, NEIGHBOURS_PER_SEED, type Neighbour, type Scored, type Seed } from "./scoring.ts";

/** Content candidates scanned for "similar". */
const SIMILAR_CANDIDATES = 400;

/** Co-purchase neighbours of each seed with the counts the score needs; `buyers` is each seed's own buyer count. */
export async function neighbours(
  db: Queryable,
  productIds: readonly string[],
): Promise<{ buyers: Map<string, number>; of: Map<string, Neighbour[]> }> {
  const buyers = new Map<string, number>();
  const of = new Map<string, Neighbour[]>();
  if (productIds.length === 0) return { buyers, of };
  const r = await db.execute<{ seed: string; seed_buyers: number; other_id: string; shared: number; other_buyers: number }>(sql`
    select s.product_id as seed, s.buyers as seed_buyers, n.other_id, n.customers as shared, n.other_buyers
    from recommendations.product_stats s
    cross join lateral (
      select c.other_id, c.customers, o.buyers as other_buyers
      from recommendations.co_purchase c
      join recommendations.product_stats o on o.product_id = c.other_id
      join recommendations.items i on i.product_id = c.other_id
      where c.product_id = s.product_id and ${RECOMMENDABLE}
      order by c.customers desc, c.other_id limit ${NEIGHBOURS_PER_SEED}
    ) n
    where s.product_id = any(${sql.param([...productIds])}::text[])`);
  for (const row of r.rows) {
    buyers.set(row.seed, row.seed_buyers);
    const list = of.get(row.seed) ?? [];
    list.push({ otherId: row.other_id, shared: row.shared, otherBuyers: row.other_buyers });
    of.set(row.seed, list);
  }
  return { buyers, of };
}

type FeatureRow = {
  product_id: string;
  category_path: string | null;
  brand_id: string | null;
  tags: string[];
  attributes: string[];
  /** int8: a decimal string. */
  price_minor: string | number | null;
};
const toFeatures = (r: FeatureRow): ItemFeatures => ({
  productId: r.product_id,
  categoryPath: r.category_path,
  brandId: r.brand_id,
  tags: r.tags,
  attributes: r.attributes,
  priceMinor: r.price_minor === null ? null : Number(r.price_minor),
});

/** Content features of products (whatever their status: a seed may be sold out). */
export async function features(db: Queryable, productIds: readonly string[]): Promise<ItemFeatures[]> {
  if (productIds.length === 0) return [];
  const r = await db.execute<FeatureRow>(sql`
    select product_id, category_path, brand_id, tags, attributes, price_minor from recommendations.items
    where product_id = any(${sql.param([...productIds])}::text[]) and status <> 'deleted'`);
  return r.rows.map(toFeatures);
}

/** Recommendable products that share the seed's top-level category, brand or a tag: the pool "similar" ranks. */
export async function similarCandidates(db: Queryable, seed: ItemFeatures): Promise<ItemFeatures[]> {
  const root = seed.categoryPath?.split("/")[0] ?? null;
  const r = await db.execute<FeatureRow>(sql`
    select i.product_id, i.category_path, i.brand_id, i.tags, i.attributes, i.price_minor from recommendations.items i
    where ${RECOMMENDABLE} and i.product_id <> ${seed.productId}
      and ((${root}::text is not null and (i.category_path = ${root} or i.category_path like ${`${root}/%`}))
        or (${seed.brandId}::text is not null and i.brand_id = ${seed.brandId})
        or i.tags && ${sql.param([...seed.tags])}::text[])
    order by (i.category_path = ${seed.categoryPath}) desc, i.product_id limit ${SIMILAR_CANDIDATES}`);
  return r.rows.map(toFeatures);
}

/** Recommendable products by decayed trending score, in a category (and everything under it) or overall. */
export async function trending(db: Queryable, category: string | null, limit: number): Promise<Scored[]> {
  const r = await db.execute<{ product_id: string; score: number }>(sql`
    select p.product_id, p.trend_score * power(0.5, greatest(0, extract(epoch from (now() - p.trend_at))) / ${TREND_HALF_LIFE_SECONDS}) as score
    from recommendations.product_stats p join recommendations.items i on i.product_id = p.product_id
    where ${RECOMMENDABLE} and p.trend_score > 0
      and (${category}::text is null or i.category_path = ${category} or i.category_path like ${`${category}/%`})
    order by score desc, p.product_id limit ${limit}`);
  return r.rows.map((row) => ({ productId: row.product_id, score: Number(row.score) }));
}

/** Recommendable products by buyer count: the popularity baseline. */
export async function popular(db: Queryable, limit: number): Promise<Scored[]> {
  const r = await db.execute<{ product_id: string; buyers: number }>(sql`
    select p.product_id, p.buyers from recommendations.product_stats p join recommendations.items i on i.product_id = p.product_id
    where ${RECOMMENDABLE} and p.buyers > 0 order by p.buyers desc, p.product_id limit ${limit}`);
  return r.rows.map((row) => ({ productId: row.product_id, score: row.buyers }));
}

/** A shopper's recent signals as seeds, what they hold (bought, net of returns; consumables left out so they come back), and their consumables. */
export async function shopperHistory(
  db: Queryable,
  userId: string,
): Promise<{ seeds: Seed[]; owned: Set<string>; consumables: Set<string>; categories: string[] }> {
  const seeds = await db.execute<{
    product_id: string;
    weight: number;
    age_hours: number;
    category_path: string | null;
    consumable: boolean;
  }>(sql`
    select s.product_id, s.weight, extract(epoch from (now() - s.occurred_at)) / 3600 as age_hours, i.category_path,
      coalesce(i.tags @> array['consumable'], false) as consumable
    from recommendations.signals s left join recommendations.items i on i.product_id = s.product_id
    where s.user_id = ${userId} order by s.occurred_at desc limit 100`);
  const owned = await db.execute<{ product_id: string }>(sql`
    select u.product_id from recommendations.user_products u left join recommendations.items i on i.product_id = u.product_id
    where u.user_id = ${userId} and u.purchases > 0 and not coalesce(i.tags @> array['consumable'], false)`);
  const categories = [...new Set(seeds.rows.filter((r) => r.weight > 0 && r.category_path).map((r) => r.category_path!))].slice(0, 3);
  return {
    seeds: seeds.rows.map((r) => ({ productId: r.product_id, weight: Number(r.weight), ageHours: Number(r.age_hours) })),
    owned: new Set(owned.rows.map((r) => r.product_id)),
    consumables: new Set(seeds.rows.filter((r) => r.consumable).map((r) => r.product_id)),
    categories,
  };
}

export interface PresentedItem {
  productId: string;
  slug: string;
  name: string;
  priceMinor: number | null;
  score: number;
}

/** Names and prices of ranked products, in rank order, and the id of the model build the tables come from. */
export async function present(db: Queryable, ranked: readonly Scored[]): Promise<{ items: PresentedItem[]; buildId: string | null }> {
  const r = await db.execute<{
    product_id: string | null;
    slug: string;
    name: string;
    price_minor: string | number | null;
    build: string | null;
  }>(sql`
    select i.product_id, i.slug, i.name, i.price_minor, b.id as build
    from (select id from recommendations.model_builds order by built_at desc limit 1) b
    full join (select * from recommendations.items where product_id = any(${sql.param(ranked.map((s) => s.productId))}::text[])) i on true`);
  const byId = new Map(r.rows.filter((row) => row.product_id).map((row) => [row.product_id!, row]));
  const items = ranked.flatMap((s) => {
    const row = byId.get(s.productId);
    return row
      ? [
          {
            productId: s.productId,
            slug: row.slug,
            name: row.name,
            priceMinor: row.price_minor === null ? null : Number(row.price_minor),
            score: Math.round(s.score * 1e4) / 1e4,
          },
        ]
      : [];
  });
  return { items, buildId: r.rows[0]?.build ?? null };
}
