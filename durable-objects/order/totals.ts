/**
 * An order's lines and totals (pure), from the catalogue's quotes: the unit
 * price is what the pricing function says now (discounts included), never a
 * client's figure. One currency per order. Shipping is a flat fee per
 * currency, free from a subtotal after discounts. Tax is 0 for now: prices
 * are taken as tax-inclusive until a tax engine computes it per destination.
 */
import { ApiError } from "../../workers/platform/errors.ts";
import { CatalogErrors, type SkuQuote } from "../../workers/products/index.ts";
import { OrderErrors } from "./errors.ts";

export interface RequestedLine {
  sku: string;
  quantity: number;
}

export interface PricedLine {
  lineNo: number;
  sku: string;
  productId: string;
  variantId: string;
  name: string;
  options: Record<string, string>;
  quantity: number;
  unitBaseMinor: number;
  unitDiscountMinor: number;
  unitPriceMinor: number;
  lineTotalMinor: number;
  discountName: string | null;
}

export interface Totals {
  currency: string;
  itemCount: number;
  /** Lines at list price. */
  subtotalMinor: number;
  discountMinor: number;
  shippingMinor: number;
  taxMinor: number;
  /** subtotal - discount + shipping + tax. */
  totalMinor: number;
}

export type ShippingFees = Record<string, { feeMinor: number; freeFromMinor: number | null }>;

/** Merges repeated SKUs, keeping the order in which they first appear. */
export function mergeLines(lines: readonly RequestedLine[]): RequestedLine[] {
  const bySku = new Map<string, number>();
  for (const l of lines) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.quantity);
  return [...bySku].map(([sku, quantity]) => ({ sku, quantity }));
}

/** Prices each line with its quote; unknown or unsellable SKUs and mixed currencies are 422s naming the SKU. */
export function priceLines(lines: readonly RequestedLine[], quotes: ReadonlyMap<string, SkuQuote>): PricedLine[] {
  const merged = mergeLines(lines);
  const unknown = merged.filter((l) => !quotes.has(l.sku));
  if (unknown.length > 0)
    throw new ApiError(CatalogErrors.UNKNOWN_SKU, `No product variant has the SKU ${unknown.map((l) => l.sku).join(", ")}`, {
      errors: unknown.map((l) => ({ field: "lines.sku", message: `unknown SKU ${l.sku}` })),
    });
  const unsellable = merged.filter((l) => !quotes.get(l.sku)!.sellable);
  if (unsellable.length > 0)
    throw new ApiError(
      CatalogErrors.SKU_NOT_SELLABLE,
      `${unsellable.map((l) => l.sku).join(", ")} is not for sale`,
      { errors: unsellable.map((l) => ({ field: "lines.sku", message: `${l.sku} is not for sale` })) },
      422,
    );
  const currencies = new Set(merged.map((l) => quotes.get(l.sku)!.price.currency));
  if (currencies.size > 1)
    throw new ApiError(
      OrderErrors.MIXED_CURRENCIES,
      `An order is paid in one currency; these lines are priced in ${[...currencies].sort().join(" and ")}`,
      { currencies: [...currencies].sort() },
    );
  return merged.map((l, i) => {
    const q = quotes.get(l.sku)!;
    return {
      lineNo: i + 1,
      sku: l.sku,
      productId: q.productId,
      variantId: q.variantId,
      name: q.productName,
      options: q.options,
      quantity: l.quantity,
      unitBaseMinor: q.price.baseMinor,
      unitDiscountMinor: q.price.discountMinor,
      unitPriceMinor: q.price.unitPriceMinor,
      lineTotalMinor: q.price.unitPriceMinor * l.quantity,
      discountName: q.price.discount?.name ?? null,
    };
  });
}

/** The shipping fee of an order: the currency's flat fee, or nothing from its threshold on (or for a currency without a fee). */
export function shippingFee(currency: string, afterDiscountMinor: number, fees: ShippingFees): number {
  const rule = fees[currency];
  if (!rule) return 0;
  return rule.freeFromMinor !== null && afterDiscountMinor >= rule.freeFromMinor ? 0 : rule.feeMinor;
}

export function orderTotals(lines: readonly PricedLine[], currency: string, fees: ShippingFees): Totals {
  const subtotalMinor = lines.reduce((n, l) => n + l.unitBaseMinor * l.quantity, 0);
  const discountMinor = lines.reduce((n, l) => n + l.unitDiscountMinor * l.quantity, 0);
  const shippingMinor = shippingFee(currency, subtotalMinor - discountMinor, fees);
  // Tax placeholder: prices are tax-inclusive until a tax engine computes it per destination.
  const taxMinor = 0;
  return {
    currency,
    itemCount: lines.reduce((n, l) => n + l.quantity, 0),
    subtotalMinor,
    discountMinor,
    shippingMinor,
    taxMinor,
    totalMinor: subtotalMinor - discountMinor + shippingMinor + taxMinor,
  };
}
