/**
 * The demo catalogue as the search projection holds it, for the search
 * benchmarks: the generator's products as product snapshots, written with
 * the indexer's own upsert (and their stock as inventory events would report
 * it), then vacuumed as a freshly built table.
 */
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type pg from "pg";
import type { DemoData } from "../../db/seed/demo-data.ts";
import type { ProductSnapshot } from "../../queues/contracts/events/product.ts";
import { toDocumentRow } from "../../workers/search/documents.ts";
import { upsertDocumentsStatement } from "../../workers/search/upsert-sql.ts";

export function toSnapshots(data: DemoData): ProductSnapshot[] {
  const brands = new Map(data.brands.map((b) => [b.id, b]));
  const categories = new Map(data.categories.map((c) => [c.id, c]));
  const variants = new Map<string, DemoData["variants"]>();
  for (const v of data.variants) variants.set(v.productId, [...(variants.get(v.productId) ?? []), v]);
  const now = Date.now();
  return data.products.map((p, i) => {
    const brand = brands.get(p.brandId)!;
    const category = categories.get(p.categoryId)!;
    const created = new Date(now - i * 60_000).toISOString();
    return {
      productId: p.id,
      slug: p.slug,
      name: p.name,
      description: p.description,
      status: p.status,
      brand: { id: brand.id, slug: brand.slug, name: brand.name },
      category: { id: category.id, slug: category.slug, name: category.name, path: category.path },
      tags: p.tags,
      imageUrl: null,
      variants: (variants.get(p.id) ?? []).map((v) => ({
        variantId: v.id,
        sku: v.sku,
        options: v.options,
        priceMinor: v.priceMinor,
        compareAtMinor: v.compareAtMinor,
        currency: v.currency,
      })),
      version: 1,
      createdAt: created,
      updatedAt: created,
    };
  });
}

export async function load(client: pg.Client, db: NodePgDatabase, data: DemoData, snapshots: ProductSnapshot[]): Promise<void> {
  const skus = new Set(snapshots.flatMap((s) => s.variants.map((v) => v.sku)));
  const stock = data.stock.filter((s) => skus.has(s.sku));
  for (let i = 0; i < stock.length; i += 5000) {
    const chunk = stock.slice(i, i + 5000);
    await client.query(
      `insert into search.sku_availability (sku, available, version) select * from unnest($1::text[], $2::int[], $3::int[]) on conflict do nothing`,
      [chunk.map((s) => s.sku), chunk.map((s) => s.available), chunk.map(() => 1)],
    );
  }
  for (let i = 0; i < snapshots.length; i += 1000)
    await db.execute(upsertDocumentsStatement(snapshots.slice(i, i + 1000).map(toDocumentRow), null));
  // Ratings as the review family would report them, so the rating facet has something to count.
  await client.query(
    `update search.documents set rating_average = round((1 + random() * 4)::numeric, 2), rating_count = 1 + (random() * 50)::int where rating_count = 0`,
  );
  // A freshly built table, as a reindex into an empty projection would leave it, with its visibility map set.
  await client.query("vacuum full search.documents");
  await client.query("vacuum analyze search.documents");
  await client.query("vacuum analyze search.lexicon");
  await client.query("vacuum analyze search.sku_availability");
}
