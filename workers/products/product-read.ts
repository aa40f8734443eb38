/**
 * A product as readers see it: variants with their prices and stock, images,
 * brand, category, rating. One statement fetches the product, its variants
 * (with the inventory projection's in-stock flag), its images and the
 * discounts not yet ended, because each round trip to Postgres costs more
 * at the edge than the work inside it.
 */
import { sql } from "drizzle-orm";
import { skuInStock } from "../inventory/index.ts";
import type { Queryable } from "../platform/db.ts";
import { toRule } from "./discount-rules.ts";
import { type BrandRef, type CategoryRef, type ImageView, imageUrlOf, mediaUrl, type PriceSummary, priceProduct } from "./presentation.ts";
import { covers, type DiscountRule, nextPriceChange, type UnitPrice } from "./pricing.ts";

export type ProductStatus = "draft" | "active" | "archived";

export interface VariantView {
  id: string;
  sku: string;
  options: Record<string, string>;
  position: number;
  weightGrams: number | null;
  dimensions: { lengthMm: number; widthMm: number; heightMm: number } | null;
  inStock: boolean;
  price: UnitPrice;
}

export interface ProductView {
  id: string;
  slug: string;
  name: string;
  description: string;
  status: ProductStatus;
  brand: BrandRef | null;
  category: CategoryRef | null;
  tags: string[];
  imageUrl: string | null;
  images: ImageView[];
  price: PriceSummary | null;
  variants: VariantView[];
  rating: { average: number; count: number };
  version: number;
  createdAt: string;
  updatedAt: string;
}

type VariantJson = {
  id: string;
  sku: string;
  options: Record<string, string>;
  priceMinor: number;
  compareAtMinor: number | null;
  currency: string;
  weightGrams: number | null;
  lengthMm: number | null;
  widthMm: number | null;
  heightMm: number | null;
  position: number;
  inStock: boolean;
};
type ImageJson = { id: string; mediaKey: string | null; externalUrl: string | null; alt: string; position: number };

type ProductRow = {
  id: string;
  slug: string;
  name: string;
  description: string;
  status: ProductStatus;
  tags: string[];
  rating_avg: number;
  rating_count: number;
  version: number;
  created_at: string | Date;
  updated_at: string | Date;
  brand: BrandRef | null;
  category: CategoryRef | null;
  variants: VariantJson[];
  images: ImageJson[];
  discounts: Parameters<typeof toRule>[0][];
};

/** SQL for the discounts not yet ended at `at`, as a JSON array (reused by the listing). */
export const discountsJson = (at: Date) => sql`(
  select coalesce(json_agg(json_build_object('id', d.id, 'name', d.name, 'kind', d.kind, 'percent_bp', d.percent_bp, 'amount_minor', d.amount_minor,
    'currency', d.currency, 'scope', d.scope, 'product_id', d.product_id, 'category_path', dc.path, 'starts_at', d.starts_at, 'ends_at', d.ends_at)), '[]'::json)
  from catalog.discounts d left join catalog.categories dc on dc.id = d.category_id
  where d.ends_at is null or d.ends_at > ${at.toISOString()}::timestamptz)`;

/**
 * The product with this id or slug, priced at `at`, and when its price next
 * changes. Only active products unless `includeHidden` (admins).
 */
export async function loadProductView(
  db: Queryable,
  idOrSlug: string,
  options: { includeHidden: boolean; at: Date },
): Promise<{ view: ProductView; nextChange: Date | null } | null> {
  const result = await db.execute<ProductRow>(sql`
    select p.id, p.slug, p.name, p.description, p.status, p.tags, p.rating_avg::float8 as rating_avg, p.rating_count, p.version, p.created_at, p.updated_at,
      case when b.id is null then null else json_build_object('id', b.id, 'slug', b.slug, 'name', b.name) end as brand,
      case when c.id is null then null else json_build_object('id', c.id, 'slug', c.slug, 'name', c.name, 'path', c.path) end as category,
      (select coalesce(json_agg(json_build_object('id', v.id, 'sku', v.sku, 'options', v.options, 'priceMinor', v.price_minor, 'compareAtMinor', v.compare_at_minor,
          'currency', v.currency, 'weightGrams', v.weight_grams, 'lengthMm', v.length_mm, 'widthMm', v.width_mm, 'heightMm', v.height_mm, 'position', v.position,
          'inStock', ${skuInStock(sql`v.sku`)}) order by v.position, v.sku), '[]'::json)
        from catalog.variants v where v.product_id = p.id) as variants,
      (select coalesce(json_agg(json_build_object('id', i.id, 'mediaKey', i.media_key, 'externalUrl', i.external_url, 'alt', i.alt, 'position', i.position)
          order by i.position, i.id), '[]'::json)
        from catalog.product_images i where i.product_id = p.id) as images,
      ${discountsJson(options.at)} as discounts
    from catalog.products p
    left join catalog.brands b on b.id = p.brand_id
    left join catalog.categories c on c.id = p.category_id
    where (p.id = ${idOrSlug} or p.slug = ${idOrSlug}) ${options.includeHidden ? sql`` : sql`and p.status = 'active'`}
    limit 1`);
  const row = result.rows[0];
  if (!row) return null;
  const rules = row.discounts.map(toRule);
  const view = toView(row, rules, options.at);
  // Only the discounts that cover this product can change what it shows.
  const priced = row.variants.map((v) => ({
    productId: row.id,
    categoryPath: row.category?.path ?? null,
    priceMinor: v.priceMinor,
    compareAtMinor: v.compareAtMinor,
    currency: v.currency.trim(),
  }));
  return {
    view,
    nextChange: nextPriceChange(
      rules.filter((d) => priced.some((v) => covers(d, v))),
      options.at,
    ),
  };
}

function toView(row: ProductRow, rules: DiscountRule[], at: Date): ProductView {
  const { units, summary } = priceProduct({ id: row.id, categoryPath: row.category?.path ?? null }, row.variants, rules, at);
  const images = row.images.map((i) => ({
    id: i.id,
    url: i.mediaKey ? mediaUrl(i.mediaKey) : i.externalUrl!,
    alt: i.alt,
    position: i.position,
    source: i.mediaKey ? ("upload" as const) : ("external" as const),
  }));
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    status: row.status,
    brand: row.brand,
    category: row.category,
    tags: row.tags,
    imageUrl: imageUrlOf(row.images[0]),
    images,
    price: summary,
    variants: row.variants.map((v, i) => ({
      id: v.id,
      sku: v.sku,
      options: v.options,
      position: v.position,
      weightGrams: v.weightGrams,
      dimensions:
        v.lengthMm !== null && v.widthMm !== null && v.heightMm !== null
          ? { lengthMm: v.lengthMm, widthMm: v.widthMm, heightMm: v.heightMm }
          : null,
      inStock: v.inStock,
      price: units[i]!,
    })),
    rating: { average: Number(row.rating_avg), count: row.rating_count },
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
