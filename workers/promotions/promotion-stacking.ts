/**
 * Several codes on one cart or order (pure). The codes that apply are ranked
 * by priority (highest first, then by code), and the first one decides: a
 * code that is not combinable applies alone, and a combinable one applies
 * with every other combinable code (the non-combinable ones stand aside).
 * Ranking by priority rather than by the largest saving keeps the choice the
 * same in the cart and at checkout (the cart does not know the shipping fee)
 * and lets the merchant say which promotion wins.
 *
 * The chosen codes apply one after another in that order, each to what the
 * lines come to after the codes before it, so together they never take more
 * than the lines are worth. The discount of each line adds up over the codes,
 * and the order's tax is computed on each line after it.
 */
import { type AppliedPromotion, applyPromotion, type PromotableLine, type Promotion } from "./promotion-rules.ts";

/** The most codes a cart holds. */
export const MAX_CODES_PER_CART = 5;

export interface StackedPromotions {
  applied: AppliedPromotion[];
  /** Codes that apply on their own but stood aside for the chosen ones. */
  setAside: { code: string; reason: string }[];
  /** Off the lines, all codes together. */
  discountMinor: number;
  freeShipping: boolean;
  /** The amount off each line, all codes together. */
  perLine: Map<number, number>;
}

/** The highest priority first; equal priorities by code, so the choice never depends on the order codes were given in. */
export const byPriority = (a: Promotion, b: Promotion): number =>
  b.priority - a.priority || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** Which of the applicable codes are used together, and why the others are not. */
export function chooseCodes(promos: readonly Promotion[]): { chosen: Promotion[]; setAside: { code: string; reason: string }[] } {
  const ranked = [...promos].sort(byPriority);
  const first = ranked[0];
  if (!first) return { chosen: [], setAside: [] };
  if (!first.combinable) {
    return { chosen: [first], setAside: ranked.slice(1).map((p) => ({ code: p.code, reason: `${first.code} applies alone` })) };
  }
  return {
    chosen: ranked.filter((p) => p.combinable),
    setAside: ranked
      .filter((p) => !p.combinable)
      .map((p) => ({ code: p.code, reason: `${p.code} applies only alone and ${first.code} takes precedence` })),
  };
}

/** The applicable codes (each already checked with `refusal`) on these lines. */
export function stackPromotions(promos: readonly Promotion[], lines: readonly PromotableLine[]): StackedPromotions {
  const { chosen, setAside } = chooseCodes(promos);
  let remaining = lines.map((l) => ({ ...l }));
  const applied: AppliedPromotion[] = [];
  const perLine = new Map<number, number>();
  for (const p of chosen) {
    const a = applyPromotion(p, remaining);
    applied.push(a);
    for (const [lineNo, off] of a.perLine) perLine.set(lineNo, (perLine.get(lineNo) ?? 0) + off);
    remaining = remaining.map((l) => ({ ...l, lineTotalMinor: l.lineTotalMinor - (a.perLine.get(l.lineNo) ?? 0) }));
  }
  return {
    applied,
    setAside,
    discountMinor: applied.reduce((n, a) => n + a.discountMinor, 0),
    freeShipping: applied.some((a) => a.freeShipping),
    perLine,
  };
}
