/**
 * What a promotion code does to an order (pure). One code per order. Lines
 * count after the catalogue's own discounts; a code limited to products
 * counts and discounts only their lines. The amount off is shared out over
 * the eligible lines (largest remainder), so each line's taxable amount
 * falls with it. Free shipping waives the order's shipping fee.
 */
import type { PROMOTION_KINDS } from "../../db/schema/promotions.ts";

export interface Promotion {
  id: string;
  code: string;
  kind: (typeof PROMOTION_KINDS)[number];
  percentBp: number | null;
  amountMinor: number | null;
  currency: string | null;
  minSubtotalMinor: number;
  productIds: string[];
  startsAt: Date;
  endsAt: Date | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  uses: number;
}

export interface PromotableLine {
  lineNo: number;
  productId: string;
  /** After the catalogue's discounts. */
  lineTotalMinor: number;
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
  if (at < p.startsAt) return "the code is not valid yet";
  if (p.endsAt && at >= p.endsAt) return "the code has expired";
  if (p.usageLimit !== null && p.uses >= p.usageLimit) return "the code has been used up";
  if (p.kind === "fixed" && p.currency !== currency) return `the code is for orders in ${p.currency}`;
  const subtotal = lines.reduce((n, l) => n + l.lineTotalMinor, 0);
  if (subtotal < p.minSubtotalMinor) return `the code needs a subtotal of at least ${p.minSubtotalMinor}`;
  if (eligible(p, lines).length === 0) return "no product in the order is eligible for the code";
  return null;
}

const eligible = (p: Promotion, lines: readonly PromotableLine[]) =>
  p.productIds.length === 0 ? [...lines] : lines.filter((l) => p.productIds.includes(l.productId));

export function applyPromotion(p: Promotion, lines: readonly PromotableLine[]): AppliedPromotion {
  const targets = eligible(p, lines);
  const base = targets.reduce((n, l) => n + l.lineTotalMinor, 0);
  const off =
    p.kind === "percentage"
      ? Number((BigInt(base) * BigInt(p.percentBp ?? 0)) / 10_000n)
      : p.kind === "fixed"
        ? Math.min(p.amountMinor ?? 0, base)
        : 0;
  return { promotionId: p.id, code: p.code, discountMinor: off, freeShipping: p.kind === "free_shipping", perLine: shareOut(targets, off) };
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
