/**
 * Writes to the search projection. Every write is guarded by a version, so
 * the indexer can take events in any order and any number of times:
 * - a product snapshot replaces the row only if it is at least as new as the
 *   one held (the same version again is the same content), except that a
 *   tombstone wins over a snapshot of its own version;
 * - a SKU's stock level only if its inventory version is newer;
 * - a rating only if its version is newer.
 * The search words of active products go into the lexicon in the same
 * statement, so typo correction knows them as soon as they are searchable.
 */
import { sql } from "drizzle-orm";
import type { ProductSnapshot } from "../../queues/contracts/events/product.ts";
import { getStockLevels } from "../inventory/index.ts";
import type { Queryable } from "../platform/db.ts";
import { loadProductSnapshot } from "../products/index.ts";
import { type DocumentRow, toDocumentRow } from "./documents.ts";
import { IN_STOCK, upsertDocumentsStatement } from "./upsert-sql.ts";

/**
 * Upserts documents, each only if newer than the row held. `reindexRun`
 * marks rows written by a full reindex. Returns the ids actually written.
 */
export async function upsertDocuments(db: Queryable, rows: DocumentRow[], reindexRun: string | null = null): Promise<string[]> {
  if (rows.length === 0) return [];
  const result = await db.execute<{ product_id: string }>(upsertDocumentsStatement(rows, reindexRun));
  return result.rows.map((r) => r.product_id);
}

/**
 * Reads the stock of SKUs from the inventory projection for those no
 * inventory event has reached yet (version 0); event-fed levels are kept.
 */
export async function seedAvailability(db: Queryable, skus: string[]): Promise<void> {
  if (skus.length === 0) return;
  const levels = await getStockLevels(db, skus);
  const list = [...levels.values()];
  await db.execute(sql`
    insert into search.sku_availability (sku, available, version)
    select sku, available, 0 from unnest(${sql.param(list.map((l) => l.sku))}::text[], ${sql.param(list.map((l) => l.available))}::int[]) as t(sku, available)
    order by sku
    on conflict (sku) do update set available = excluded.available, updated_at = now()
    where sku_availability.version = 0 and sku_availability.available <> excluded.available`);
}

/** A product snapshot from an event: its stock first, so the row's in-stock flag is computed from it. */
export async function applySnapshot(db: Queryable, snapshot: ProductSnapshot): Promise<boolean> {
  await seedAvailability(
    db,
    snapshot.variants.map((v) => v.sku),
  );
  return (await upsertDocuments(db, [toDocumentRow(snapshot)])).length > 0;
}

/** A deleted product becomes a tombstone, which keeps its version against late snapshots. */
export async function applyDeletion(db: Queryable, deleted: { productId: string; slug: string; version: number }): Promise<void> {
  await db.execute(sql`
    insert into search.documents as d (product_id, status, version, slug, name)
    values (${deleted.productId}, 'deleted', ${deleted.version}, ${deleted.slug}, '')
    on conflict (product_id) do update set status = 'deleted', version = excluded.version, in_stock = false, indexed_at = now()
    where d.version <= excluded.version`);
}

/**
 * An event that names a product version without carrying the snapshot
 * (PriceChanged): if the projection is behind it, the catalogue's current
 * snapshot is read and applied. A product the catalogue no longer has waits
 * for its ProductDeleted.
 */
export async function refreshFromCatalog(db: Queryable, productId: string, version: number): Promise<void> {
  const held = await db.execute<{ version: number }>(sql`select version from search.documents where product_id = ${productId}`);
  if ((held.rows[0]?.version ?? 0) >= version) return;
  const snapshot = await loadProductSnapshot(db, productId);
  if (snapshot) await applySnapshot(db, snapshot);
}

/** One SKU's stock level from an inventory event; the owning products' in-stock flags follow. */
export async function applyStockLevel(db: Queryable, level: { sku: string; available: number; version: number }): Promise<void> {
  const applied = await db.execute(sql`
    insert into search.sku_availability (sku, available, version) values (${level.sku}, ${level.available}, ${level.version})
    on conflict (sku) do update set available = excluded.available, version = excluded.version, updated_at = now()
    where sku_availability.version < excluded.version
    returning sku`);
  if (applied.rows.length === 0) return;
  await db.execute(sql`
    update search.documents r set in_stock = ${IN_STOCK}
    where r.skus @> array[${level.sku}]::text[] and r.in_stock <> ${IN_STOCK}`);
}

/**
 * A product's rating figures, handed over by the reviews family from its
 * review events (in the search consumer group). A product not indexed yet
 * gets a version-0 placeholder row that is never searchable; its first
 * snapshot fills it in and keeps the rating.
 */
export async function applyRating(
  db: Queryable,
  rating: { productId: string; average: number; count: number; version: number },
): Promise<void> {
  await db.execute(sql`
    insert into search.documents as d (product_id, status, version, slug, name, rating_average, rating_count, rating_version)
    values (${rating.productId}, 'draft', 0, '', '', ${rating.average}, ${rating.count}, ${rating.version})
    on conflict (product_id) do update set rating_average = excluded.rating_average, rating_count = excluded.rating_count, rating_version = excluded.rating_version
    where d.rating_version < excluded.rating_version`);
}
