/**
 * Pricing: the one function that turns a variant's base price and the
 * discounts in force into what a shopper pays. Every catalog reader (detail,
 * listing, the price index that listings sort and filter on) and the cart
 * call it, so a price can never be computed two ways.
 *
 * Rules:
 * - a discount is in force from `startsAt` (included) to `endsAt` (excluded;
 *   null means open-ended);
 * - it applies to one product, to a category and all its descendants, or to
 *   everything; a fixed discount only to variants priced in its currency;
 * - discounts do not stack: the one that takes the most off wins (ties go to
 *   the earlier start, then the smaller id, so the choice is deterministic);
 * - a percentage is in basis points (1250 = 12.5 %); the amount off is rounded
 *   to the nearest minor unit, halves up; a price never goes below zero;
 * - compare-at is the higher "was" price shown beside the unit price: the
 *   variant's own compare-at price, or the base price when a discount applies,
 *   and only when it is above what the shopper pays.
 */

export type DiscountKind = "percentage" | "fixed";
export type DiscountScope = "product" | "category" | "all";

export interface DiscountRule {
  id: string;
  name: string;
  kind: DiscountKind;
  /** Percentage discounts: basis points, 1 to 10,000. */
  percentBp: number | null;
  /** Fixed discounts: minor units off each unit, in `currency`. */
  amountMinor: number | null;
  currency: string | null;
  scope: DiscountScope;
  /** Product scope: the product. */
  productId: string | null;
  /** Category scope: the category's current path; it covers the path and every path below it. */
  categoryPath: string | null;
  startsAt: Date;
  endsAt: Date | null;
}

/** What pricing needs to know about one variant and its product. */
export interface PricedVariant {
  productId: string;
  categoryPath: string | null;
  priceMinor: number;
  compareAtMinor: number | null;
  currency: string;
}

export interface AppliedDiscount {
  id: string;
  name: string;
  kind: DiscountKind;
  percentBp: number | null;
  amountMinor: number | null;
}

export interface UnitPrice {
  currency: string;
  /** The variant's base (list) price. */
  baseMinor: number;
  /** What the shopper pays for one unit. */
  unitPriceMinor: number;
  /** baseMinor - unitPriceMinor. */
  discountMinor: number;
  /** The "was" price, or null when there is none above the unit price. */
  compareAtMinor: number | null;
  discount: AppliedDiscount | null;
}

export function isInForce(d: Pick<DiscountRule, "startsAt" | "endsAt">, at: Date): boolean {
  return d.startsAt.getTime() <= at.getTime() && (d.endsAt === null || at.getTime() < d.endsAt.getTime());
}

/** Whether the discount covers the variant, whatever the time. */
export function covers(d: DiscountRule, v: PricedVariant): boolean {
  if (d.kind === "fixed" && d.currency !== v.currency) return false;
  switch (d.scope) {
    case "all":
      return true;
    case "product":
      return d.productId === v.productId;
    case "category":
      return (
        d.categoryPath !== null &&
        v.categoryPath !== null &&
        (v.categoryPath === d.categoryPath || v.categoryPath.startsWith(`${d.categoryPath}/`))
      );
  }
}

/** Minor units the discount takes off a base price. */
export function amountOff(d: DiscountRule, baseMinor: number): number {
  if (d.kind === "percentage") return Math.min(baseMinor, Math.round((baseMinor * (d.percentBp ?? 0)) / 10_000));
  return Math.min(baseMinor, d.amountMinor ?? 0);
}

/** The price of one unit of `v` at time `at`, given any list of discounts (those not in force or not covering it are ignored). */
export function priceUnit(v: PricedVariant, discounts: readonly DiscountRule[], at: Date): UnitPrice {
  let best: DiscountRule | null = null;
  let bestOff = 0;
  for (const d of discounts) {
    if (!isInForce(d, at) || !covers(d, v)) continue;
    const off = amountOff(d, v.priceMinor);
    if (off <= 0) continue;
    if (best === null || off > bestOff || (off === bestOff && earlier(d, best))) {
      best = d;
      bestOff = off;
    }
  }
  const unitPriceMinor = v.priceMinor - bestOff;
  const wasCandidates = [v.compareAtMinor ?? 0, best ? v.priceMinor : 0];
  const was = Math.max(...wasCandidates);
  return {
    currency: v.currency,
    baseMinor: v.priceMinor,
    unitPriceMinor,
    discountMinor: bestOff,
    compareAtMinor: was > unitPriceMinor ? was : null,
    discount: best ? { id: best.id, name: best.name, kind: best.kind, percentBp: best.percentBp, amountMinor: best.amountMinor } : null,
  };
}

function earlier(a: DiscountRule, b: DiscountRule): boolean {
  const ta = a.startsAt.getTime();
  const tb = b.startsAt.getTime();
  return ta < tb || (ta === tb && a.id < b.id);
}

/** The cheapest variant's price: what a listing shows as "from". Null for a product without variants. */
export function priceFrom(variants: readonly PricedVariant[], discounts: readonly DiscountRule[], at: Date): UnitPrice | null {
  let from: UnitPrice | null = null;
  for (const v of variants) {
    const p = priceUnit(v, discounts, at);
    if (from === null || p.unitPriceMinor < from.unitPriceMinor) from = p;
  }
  return from;
}

/**
 * A product's price over time: intervals between the start and end times of
 * the discounts that cover it, each priced by `priceUnit` at its start. The
 * first interval is open towards the past (it holds from `from` on), the
 * last towards the future. Listings filter and sort on these intervals, so
 * they agree with what `priceUnit` shows at any moment without a job having
 * to run when a discount starts or ends.
 */
export interface PriceWindow {
  /** Null: since before `from`. */
  validFrom: Date | null;
  /** Null: open-ended. */
  validUntil: Date | null;
  minPriceMinor: number;
  maxPriceMinor: number;
  currency: string;
  discounted: boolean;
}

export function priceWindows(variants: readonly PricedVariant[], discounts: readonly DiscountRule[], from: Date): PriceWindow[] {
  if (variants.length === 0) return [];
  const relevant = discounts.filter((d) => variants.some((v) => covers(d, v)));
  const breaks = new Set<number>();
  for (const d of relevant) {
    for (const t of [d.startsAt, d.endsAt]) if (t && t.getTime() > from.getTime()) breaks.add(t.getTime());
  }
  const starts = [from.getTime(), ...[...breaks].sort((a, b) => a - b)];
  const windows: PriceWindow[] = [];
  starts.forEach((start, i) => {
    const prices = variants.map((v) => priceUnit(v, relevant, new Date(start)));
    const window: PriceWindow = {
      validFrom: i === 0 ? null : new Date(start),
      validUntil: i + 1 < starts.length ? new Date(starts[i + 1]!) : null,
      minPriceMinor: Math.min(...prices.map((p) => p.unitPriceMinor)),
      maxPriceMinor: Math.max(...prices.map((p) => p.unitPriceMinor)),
      currency: variants[0]!.currency,
      discounted: prices.some((p) => p.discountMinor > 0),
    };
    const last = windows[windows.length - 1];
    // Neighbours with the same prices are one window.
    if (
      last &&
      last.minPriceMinor === window.minPriceMinor &&
      last.maxPriceMinor === window.maxPriceMinor &&
      last.discounted === window.discounted
    ) {
      last.validUntil = window.validUntil;
    } else {
      windows.push(window);
    }
  });
  return windows;
}

/** The next time after `at` at which any of the discounts starts or ends: until then, prices stay as they are. */
export function nextPriceChange(discounts: readonly DiscountRule[], at: Date): Date | null {
  let next: number | null = null;
  for (const d of discounts) {
    for (const t of [d.startsAt, d.endsAt]) {
      if (t && t.getTime() > at.getTime() && (next === null || t.getTime() < next)) next = t.getTime();
    }
  }
  return next === null ? null : new Date(next);
}
