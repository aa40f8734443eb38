/**
 * Product snapshots: the catalog's read model that product events carry and
 * that projections (search) rebuild from. One function builds them, so an
 * event and a full reindex can never disagree on what a product looks like.
 */
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { brands, categories, productImages, products, variants } from "../../db/schema/catalog.ts";
import type { ProductSnapshot } from "../../queues/contracts/events/product.ts";
import type { Queryable } from "../platform/db.ts";
import { imageUrlOf } from "./presentation.ts";

export interface SnapshotPage {
  items: ProductSnapshot[];
  /** Pass as `afterId` for the next page; null at the end. */
  nextAfterId: string | null;
}

/** Snapshots in id order, `limit` at a time, for full reindexes. */
export async function loadProductSnapshots(
  db: Queryable,
  options: { afterId?: string | null; limit: number; ids?: string[] },
): Promise<SnapshotPage> {
  const where = and(
    options.afterId ? gt(products.id, options.afterId) : undefined,
    options.ids ? inArray(products.id, options.ids) : undefined,
  );
  const rows = await db
    .select({ product: products, brand: brands, category: categories })
    .from(products)
    .leftJoin(brands, eq(products.brandId, brands.id))
    .leftJoin(categories, eq(products.categoryId, categories.id))
    .where(where)
    .orderBy(asc(products.id))
    .limit(options.limit);
  if (rows.length === 0) return { items: [], nextAfterId: null };
  const ids = rows.map((r) => r.product.id);
  const variantRows = await db
    .select()
    .from(variants)
    .where(inArray(variants.productId, ids))
    .orderBy(asc(variants.position), asc(variants.sku));
  const byProduct = new Map<string, (typeof variantRows)[number][]>();
  for (const v of variantRows) byProduct.set(v.productId, [...(byProduct.get(v.productId) ?? []), v]);
  // The first image (lowest position) is the product's picture.
  const imageRows = await db
    .select()
    .from(productImages)
    .where(inArray(productImages.productId, ids))
    .orderBy(asc(productImages.productId), asc(productImages.position), asc(productImages.id));
  const firstImage = new Map<string, string | null>();
  for (const i of imageRows) if (!firstImage.has(i.productId)) firstImage.set(i.productId, imageUrlOf(i));
  const items = rows.map(({ product, brand, category }) =>
    toSnapshot(product, brand, category, byProduct.get(product.id) ?? [], firstImage.get(product.id) ?? null),
  );
  return { items, nextAfterId: rows.length < options.limit ? null : ids[ids.length - 1]! };
}

export async function loadProductSnapshot(db: Queryable, productId: string): Promise<ProductSnapshot | null> {
  const page = await loadProductSnapshots(db, { ids: [productId], limit: 1 });
  return page.items[0] ?? null;
}

function toSnapshot(
  product: typeof products.$inferSelect,
  brand: typeof brands.$inferSelect | null,
  category: typeof categories.$inferSelect | null,
  rows: (typeof variants.$inferSelect)[],
  imageUrl: string | null,
): ProductSnapshot {
  return {
    productId: product.id,
    slug: product.slug,
    name: product.name,
    description: product.description,
    status: product.status,
    brand: brand ? { id: brand.id, slug: brand.slug, name: brand.name } : null,
    category: category ? { id: category.id, slug: category.slug, name: category.name, path: category.path } : null,
    tags: product.tags,
    imageUrl,
    variants: rows.map((v) => ({
      variantId: v.id,
      sku: v.sku,
      options: v.options,
      priceMinor: v.priceMinor,
      compareAtMinor: v.compareAtMinor,
      currency: v.currency,
    })),
    version: product.version,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}
