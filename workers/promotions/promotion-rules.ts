/**
 * What one promotion code does to an order or a cart (pure). Lines count
 * after the catalogue's own discounts. A code may name products, categories
 * and brands: a line is eligible when its product is named, its category or
 * one above it is named, or its brand is named (no names: every line); only
 * eligible lines count and are discounted. The amount off is shared out over
 * the eligible lines (largest remainder), so each line's taxable amount falls
 * with it. Free shipping waives the order's shipping fee. Several codes
 * together: promotion-stacking.ts.
 */
import type { PROMOTION_KINDS } from "../../db/schema/promotions.ts";

export interface Promotion {
  id: string;
  code: string;
  kind: (typeof PROMOTION_KINDS)[number];
  /** percentage: off the eligible lines; buy_x_get_y: off each unit given (10000: free). */
  percentBp: number | null;
  amountMinor: number | null;
  currency: string | null;
  minSubtotalMinor: number;
  productIds: string[];
  categoryIds: string[];
  brandIds: string[];
  buyQuantity: number | null;
  getQuantity: number | null;
  priority: number;
  combinable: boolean;
  active: boolean;
  startsAt: Date;
  endsAt: Date | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  uses: number;
}

export interface PromotableLine {
  lineNo: number;
  productId: string;
  quantity: number;
  /** After the catalogue's discounts (and, when codes are stacked, after the codes applied before). */
  lineTotalMinor: number;
  /** The product's category and every category above it. */
  categoryIds?: readonly string[];
  brandId?: string | null;
}

export interface AppliedPromotion {
  promotionId: string;
  code: string;
  /** Off the lines (not counting a waived shipping fee). */
  discountMinor: number;
  freeShipping: boolean;
  /** The amount off each eligible line. */
  perLine: Map<number, number>;
}

/** Why a code does not apply; null when it does. */
export function refusal(p: Promotion, lines: readonly PromotableLine[], currency: string, at: Date): string | null {
  if (!p.active) return "the code is not active";
  if (at < p.startsAt) return "the code is not valid yet";
  if (p.endsAt && at >= p.endsAt) return "the code has expired";
  if (p.usageLimit !== null && p.uses >= p.usageLimit) return "the code has been used up";
  if (p.kind === "fixed" && p.currency !== currency) return `the code is for orders in ${p.currency}`;
  const subtotal = lines.reduce((n, l) => n + l.lineTotalMinor, 0);
  if (subtotal < p.minSubtotalMinor) return `the code needs a subtotal of at least ${p.minSubtotalMinor}`;
  const targets = eligible(p, lines);
  if (targets.length === 0) return "no product in the order is eligible for the code";
  if (p.kind === "buy_x_get_y") {
    const units = targets.reduce((n, l) => n + l.quantity, 0);
    const group = (p.buyQuantity ?? 1) + (p.getQuantity ?? 1);
    if (units < group) return `the code needs ${group} eligible units (buy ${p.buyQuantity}, get ${p.getQuantity})`;
  }
  return null;
}

/** Whether a code names any product, category or brand (otherwise every line is eligible). */
const limited = (p: Promotion) => p.productIds.length + p.categoryIds.length + p.brandIds.length > 0;

export function isEligible(p: Promotion, l: PromotableLine): boolean {
  if (!limited(p)) return true;
  return (
    p.productIds.includes(l.productId) ||
    (l.categoryIds ?? []).some((c) => p.categoryIds.includes(c)) ||
    (l.brandId != null && p.brandIds.includes(l.brandId))
  );
}

const eligible = (p: Promotion, lines: readonly PromotableLine[]) => lines.filter((l) => isEligible(p, l));

export function applyPromotion(p: Promotion, lines: readonly PromotableLine[]): AppliedPromotion {
  const targets = eligible(p, lines).filter((l) => l.lineTotalMinor > 0);
  const base = targets.reduce((n, l) => n + l.lineTotalMinor, 0);
  const result = { promotionId: p.id, code: p.code, freeShipping: p.kind === "free_shipping" };
  if (p.kind === "buy_x_get_y") {
    const perLine = buyXGetY(p, targets);
    return { ...result, discountMinor: [...perLine.values()].reduce((a, b) => a + b, 0), perLine };
  }
  const off =
    p.kind === "percentage"
      ? Number((BigInt(base) * BigInt(p.percentBp ?? 0)) / 10_000n)
      : p.kind === "fixed"
        ? Math.min(p.amountMinor ?? 0, base)
        : 0;
  return { ...result, discountMinor: off, perLine: shareOut(targets, off) };
}

/**
 * Buy X, get Y: every full group of X + Y eligible units gives Y units at
 * `percentBp` off, and the units given are the cheapest ones (a unit's price
 * is its line's amount over its quantity). Each line's part is rounded down.
 */
function buyXGetY(p: Promotion, targets: readonly PromotableLine[]): Map<number, number> {
  const buy = p.buyQuantity ?? 1;
  const get = p.getQuantity ?? 1;
  const units = targets.reduce((n, l) => n + l.quantity, 0);
  let given = Math.floor(units / (buy + get)) * get;
  const out = new Map<number, number>();
  // Cheapest unit first; equal prices by line number, so the outcome never depends on the input's order.
  const byUnitPrice = [...targets].sort((a, b) => a.lineTotalMinor * b.quantity - b.lineTotalMinor * a.quantity || a.lineNo - b.lineNo);
  for (const l of byUnitPrice) {
    if (given <= 0) break;
    const k = Math.min(given, l.quantity);
    given -= k;
    const off = Number((BigInt(l.lineTotalMinor) * BigInt(k) * BigInt(p.percentBp ?? 10_000)) / (BigInt(l.quantity) * 10_000n));
    if (off > 0) out.set(l.lineNo, off);
  }
  return out;
}

/** `amount` over the lines in proportion to their totals, whole minor units, adding up exactly. */
function shareOut(lines: readonly PromotableLine[], amount: number): Map<number, number> {
  const total = lines.reduce((n, l) => n + l.lineTotalMinor, 0);
  const out = new Map<number, number>();
  if (total === 0 || amount === 0) return out;
  const parts = lines.map((l) => {
    const exact = BigInt(l.lineTotalMinor) * BigInt(amount);
    return { lineNo: l.lineNo, floor: exact / BigInt(total), rem: exact % BigInt(total) };
  });
  let left = BigInt(amount) - parts.reduce((n, p) => n + p.floor, 0n);
  for (const p of [...parts].sort((a, b) => (a.rem === b.rem ? a.lineNo - b.lineNo : a.rem > b.rem ? -1 : 1))) {
    if (left <= 0n) break;
    p.floor += 1n;
    left -= 1n;
  }
  for (const p of parts) out.set(p.lineNo, Number(p.floor));
  return out;
}
