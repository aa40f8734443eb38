/**
 * Public shapes of catalog data. Prices are always computed here by the
 * pricing function from base prices and the discounts in force, never read
 * from a stored "sale price".
 */
import { type DiscountRule, type PricedVariant, priceUnit, type UnitPrice } from "./pricing.ts";

export interface BrandRef {
  id: string;
  slug: string;
  name: string;
}
export interface CategoryRef extends BrandRef {
  path: string;
}

export interface PriceSummary {
  currency: string;
  /** The cheapest variant's unit price. */
  fromMinor: number;
  /** The dearest variant's unit price. */
  toMinor: number;
  /** The cheapest variant's "was" price, if any. */
  compareAtMinor: number | null;
  discounted: boolean;
}

export interface ImageView {
  id: string;
  url: string;
  alt: string;
  position: number;
  source: "upload" | "external";
}

export const mediaUrl = (key: string) => `/api/media/${key}`;

export function imageUrlOf(image: { mediaKey: string | null; externalUrl: string | null } | null | undefined): string | null {
  if (!image) return null;
  return image.mediaKey ? mediaUrl(image.mediaKey) : image.externalUrl;
}

export interface VariantPriceInput {
  sku: string;
  priceMinor: number;
  compareAtMinor: number | null;
  currency: string;
}

/** Unit prices of a product's variants (in the given order) and their summary. */
export function priceProduct(
  product: { id: string; categoryPath: string | null },
  variants: readonly VariantPriceInput[],
  discounts: readonly DiscountRule[],
  at: Date,
): { units: UnitPrice[]; summary: PriceSummary | null } {
  const units = variants.map((v) => {
    const priced: PricedVariant = {
      productId: product.id,
      categoryPath: product.categoryPath,
      priceMinor: v.priceMinor,
      compareAtMinor: v.compareAtMinor,
      currency: v.currency.trim(),
    };
    return priceUnit(priced, discounts, at);
  });
  if (units.length === 0) return { units, summary: null };
  let cheapest = units[0]!;
  let dearest = units[0]!;
  for (const u of units) {
    if (u.unitPriceMinor < cheapest.unitPriceMinor) cheapest = u;
    if (u.unitPriceMinor > dearest.unitPriceMinor) dearest = u;
  }
  return {
    units,
    summary: {
      currency: cheapest.currency,
      fromMinor: cheapest.unitPriceMinor,
      toMinor: dearest.unitPriceMinor,
      compareAtMinor: cheapest.compareAtMinor,
      discounted: units.some((u) => u.discountMinor > 0),
    },
  };
}

/** Seconds an edge-cached response may live: the default, cut short by the next discount start or end. */
export function cacheSeconds(defaultSeconds: number, at: Date, nextChange: Date | null): number {
  if (!nextChange) return defaultSeconds;
  return Math.max(1, Math.min(defaultSeconds, Math.floor((nextChange.getTime() - at.getTime()) / 1000)));
}
