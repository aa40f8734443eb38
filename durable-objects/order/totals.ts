/**
 * An order's lines and totals (pure), from the catalogue's quotes: the unit
 * price is what the pricing function says now (discounts included), never a
 * client's figure. One currency per order. Shipping is a flat fee per
 * currency, free from a subtotal after discounts. Tax comes from the taxes
 * family's provider for the destination (`withTax`): added to the total where
 * prices are tax-exclusive, contained in it where they include tax.
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
  /** The line's tax rate (basis points) and tax: inside lineTotal where prices include tax, on top of it otherwise. */
  taxRateBp: number;
  taxMinor: number;
  /** The line's share of the promotion codes' amount off, once a promotion applied (0 otherwise). */
  promotionDiscountMinor?: number;
}

export interface Totals {
  currency: string;
  itemCount: number;
  /** Lines at list price. */
  subtotalMinor: number;
  discountMinor: number;
  shippingMinor: number;
  taxMinor: number;
  /** subtotal - discount + shipping, plus tax where prices exclude it. */
  totalMinor: number;
}

/**
 * The largest amount an order may come to, in minor units: 999,999,999,999
 * (9,999,999,999.99 in a two-decimal currency). Amounts are stored as 64-bit
 * integers and computed as doubles, both exact far beyond this; the bound
 * keeps every sum formed from an order (refunds, reports, daily totals)
 * exact too. An order above it is refused with a 422 before anything is
 * reserved or stored.
 */
export const ORDER_TOTAL_MAX_MINOR = 999_999_999_999;

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
      taxRateBp: 0,
      taxMinor: 0,
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
  const totalMinor = subtotalMinor - discountMinor + shippingMinor;
  withinMaximum(currency, Math.max(subtotalMinor, totalMinor));
  return {
    currency,
    itemCount: lines.reduce((n, l) => n + l.quantity, 0),
    subtotalMinor,
    discountMinor,
    shippingMinor,
    taxMinor: 0,
    totalMinor,
  };
}

/** A promotion code's amount off the lines and its waived shipping, in the totals. */
export function withPromotion(totals: Totals, promo: { discountMinor: number; freeShipping: boolean }): Totals {
  const shippingMinor = promo.freeShipping ? 0 : totals.shippingMinor;
  const discountMinor = totals.discountMinor + promo.discountMinor;
  return { ...totals, discountMinor, shippingMinor, totalMinor: totals.subtotalMinor - discountMinor + shippingMinor };
}

/** The tax a provider computed, on the lines and in the totals (still within the maximum). */
export interface OrderTax {
  pricesIncludeTax: boolean;
  lines: readonly { lineNo: number; rateBp: number; taxMinor: number }[];
  taxMinor: number;
}

export function withTax(lines: readonly PricedLine[], totals: Totals, tax: OrderTax): { lines: PricedLine[]; totals: Totals } {
  const byLine = new Map(tax.lines.map((l) => [l.lineNo, l]));
  const taxed = lines.map((l) => ({ ...l, taxRateBp: byLine.get(l.lineNo)?.rateBp ?? 0, taxMinor: byLine.get(l.lineNo)?.taxMinor ?? 0 }));
  const totalMinor = totals.totalMinor + (tax.pricesIncludeTax ? 0 : tax.taxMinor);
  withinMaximum(totals.currency, totalMinor);
  return { lines: taxed, totals: { ...totals, taxMinor: tax.taxMinor, totalMinor } };
}

function withinMaximum(currency: string, amountMinor: number): void {
  if (amountMinor > ORDER_TOTAL_MAX_MINOR)
    throw new ApiError(
      OrderErrors.ORDER_TOTAL_TOO_LARGE,
      `An order may come to at most ${ORDER_TOTAL_MAX_MINOR} minor units of ${currency}; this one comes to ${amountMinor}`,
      { maxMinor: ORDER_TOTAL_MAX_MINOR, errors: [{ field: "lines", message: "the order's total exceeds the maximum" }] },
    );
}

/**
 * What one unit of a line cost the customer, tax included: the unit price,
 * plus its share of the line's tax where the tax was added on top (rounded
 * down, so a return never refunds more than was paid).
 */
export const unitPaidMinor = (line: Pick<PricedLine, "unitPriceMinor" | "quantity" | "taxMinor">, taxIncluded: boolean): number =>
  taxIncluded ? line.unitPriceMinor : line.unitPriceMinor + Math.floor(line.taxMinor / line.quantity);
