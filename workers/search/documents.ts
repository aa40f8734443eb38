/**
 * From a product snapshot (what product events carry and the catalogue's
 * reindex reads) to the row the search projection stores. Pure; stock is
 * joined in SQL from the SKU availability the projection keeps.
 */
import type { ProductSnapshot } from "../../queues/contracts/events/product.ts";

export type DocumentStatus = "draft" | "active" | "archived" | "deleted";

export interface DocumentRow {
  productId: string;
  status: DocumentStatus;
  version: number;
  slug: string;
  name: string;
  description: string;
  brandId: string | null;
  brandSlug: string | null;
  brandName: string | null;
  categoryId: string | null;
  categorySlug: string | null;
  categoryName: string | null;
  categoryPath: string | null;
  tags: string[];
  imageUrl: string | null;
  priceMinMinor: number | null;
  priceMaxMinor: number | null;
  compareAtMinor: number | null;
  currency: string | null;
  skus: string[];
  productCreatedAt: string | null;
  productUpdatedAt: string | null;
}

/**
 * Prices are list prices of the product's main currency (the first
 * variant's): a price filter or bucket compares amounts of one currency only.
 * Discounts are time-windowed and applied at read time by the catalogue, so
 * the projection does not bake them in.
 */
export function toDocumentRow(snapshot: ProductSnapshot): DocumentRow {
  const currency = snapshot.variants[0]?.currency ?? null;
  const priced = snapshot.variants.filter((v) => v.currency === currency);
  const cheapest = priced.reduce<(typeof priced)[number] | null>(
    (min, v) => (min === null || v.priceMinor < min.priceMinor ? v : min),
    null,
  );
  const skus = snapshot.variants.map((v) => v.sku);
  return {
    productId: snapshot.productId,
    status: snapshot.status,
    version: snapshot.version,
    slug: snapshot.slug,
    name: snapshot.name,
    description: snapshot.description,
    brandId: snapshot.brand?.id ?? null,
    brandSlug: snapshot.brand?.slug ?? null,
    brandName: snapshot.brand?.name ?? null,
    categoryId: snapshot.category?.id ?? null,
    categorySlug: snapshot.category?.slug ?? null,
    categoryName: snapshot.category?.name ?? null,
    categoryPath: snapshot.category?.path ?? null,
    tags: snapshot.tags,
    imageUrl: snapshot.imageUrl,
    priceMinMinor: cheapest?.priceMinor ?? null,
    priceMaxMinor: priced.length > 0 ? Math.max(...priced.map((v) => v.priceMinor)) : null,
    compareAtMinor:
      cheapest && cheapest.compareAtMinor !== null && cheapest.compareAtMinor > cheapest.priceMinor ? cheapest.compareAtMinor : null,
    currency,
    skus,
    productCreatedAt: snapshot.createdAt,
    productUpdatedAt: snapshot.updatedAt,
  };
}
