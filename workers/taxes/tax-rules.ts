/**
 * Tax of an order (pure): the destination's rates per product tax class
 * applied to each line's amount after discounts and to the shipping fee.
 *
 * - Tax-exclusive regions (US style) add the tax to the prices; tax-inclusive
 *   regions (EU style) take it out of them: tax = amount × rate / (1 + rate).
 * - Rounding is half-up to the minor unit, either per line (each line's tax
 *   rounded, then summed) or per total (the tax of each rate computed on the
 *   sum of its amounts and rounded once, then shared out over the lines by
 *   largest remainder so the lines still add up to it).
 * - "zero" is taxable at 0 % (it appears on an invoice as a 0 % line);
 *   "exempt" is outside the tax (no tax line at all).
 *
 * Arithmetic is in BigInt: an amount up to the order maximum times a rate in
 * basis points exceeds the doubles' exact integers.
 */

export const TAX_CLASSES = ["standard", "reduced", "zero", "exempt"] as const;
export type TaxClass = (typeof TAX_CLASSES)[number];
export const ROUNDING_MODES = ["line", "total"] as const;
export type Rounding = (typeof ROUNDING_MODES)[number];

/** A region's rules: its rates in basis points (1900 = 19 %). */
export interface TaxRegionRules {
  /** `DE`, or `US-CA` for a state. */
  code: string;
  pricesIncludeTax: boolean;
  rounding: Rounding;
  standardBp: number;
  reducedBp: number;
  /** The class shipping is taxed as ("exempt": shipping is not taxed). */
  shippingTaxClass: TaxClass;
}

export interface TaxableLine {
  lineNo: number;
  taxClass: TaxClass;
  /** What the line costs after discounts, in minor units (gross in inclusive regions, net otherwise). */
  amountMinor: number;
}

export interface LineTax {
  lineNo: number;
  taxClass: TaxClass;
  rateBp: number;
  taxableMinor: number;
  taxMinor: number;
}

export interface RateTotal {
  rateBp: number;
  /** Net amount taxed at this rate (lines and shipping). */
  netMinor: number;
  taxMinor: number;
}

export interface TaxResult {
  /** The region whose rules applied, or null when the destination has none (no tax). */
  regionCode: string | null;
  provider: string;
  pricesIncludeTax: boolean;
  rounding: Rounding;
  lines: LineTax[];
  shipping: { rateBp: number; taxableMinor: number; taxMinor: number } | null;
  /** One entry per rate, highest rate first: what an invoice shows. */
  rates: RateTotal[];
  taxMinor: number;
}

export function rateOf(rules: TaxRegionRules, taxClass: TaxClass): number | null {
  switch (taxClass) {
    case "standard":
      return rules.standardBp;
    case "reduced":
      return rules.reducedBp;
    case "zero":
      return 0;
    case "exempt":
      return null;
  }
}

const B10000 = 10_000n;

/** The exact tax as a fraction num/den of minor units. */
function exactTax(amountMinor: number, rateBp: number, inclusive: boolean): { num: bigint; den: bigint } {
  const amount = BigInt(amountMinor);
  const rate = BigInt(rateBp);
  return inclusive ? { num: amount * rate, den: B10000 + rate } : { num: amount * rate, den: B10000 };
}

/** num/den rounded half-up (non-negative amounts). */
const roundHalfUp = ({ num, den }: { num: bigint; den: bigint }): bigint => (2n * num + den) / (2n * den);

export const taxOn = (amountMinor: number, rateBp: number, inclusive: boolean): number =>
  Number(roundHalfUp(exactTax(amountMinor, rateBp, inclusive)));

/** No tax at all: a destination without rules. */
export function untaxed(provider: string): TaxResult {
  return { regionCode: null, provider, pricesIncludeTax: false, rounding: "line", lines: [], shipping: null, rates: [], taxMinor: 0 };
}

export function computeTax(rules: TaxRegionRules, lines: readonly TaxableLine[], shippingMinor: number, provider = "table"): TaxResult {
  const inclusive = rules.pricesIncludeTax;
  type Item = { lineNo: number | null; taxClass: TaxClass; rateBp: number; amountMinor: number; taxMinor: number };
  const items: Item[] = [];
  for (const l of lines) {
    const rateBp = rateOf(rules, l.taxClass);
    if (rateBp !== null) items.push({ lineNo: l.lineNo, taxClass: l.taxClass, rateBp, amountMinor: l.amountMinor, taxMinor: 0 });
  }
  const shippingRate = shippingMinor > 0 ? rateOf(rules, rules.shippingTaxClass) : null;
  if (shippingRate !== null)
    items.push({ lineNo: null, taxClass: rules.shippingTaxClass, rateBp: shippingRate, amountMinor: shippingMinor, taxMinor: 0 });

  if (rules.rounding === "line") {
    for (const it of items) it.taxMinor = taxOn(it.amountMinor, it.rateBp, inclusive);
  } else {
    for (const rate of new Set(items.map((i) => i.rateBp)))
      shareOut(
        items.filter((i) => i.rateBp === rate),
        inclusive,
      );
  }

  const byRate = new Map<number, RateTotal>();
  for (const it of items) {
    const t = byRate.get(it.rateBp) ?? { rateBp: it.rateBp, netMinor: 0, taxMinor: 0 };
    t.netMinor += inclusive ? it.amountMinor - it.taxMinor : it.amountMinor;
    t.taxMinor += it.taxMinor;
    byRate.set(it.rateBp, t);
  }
  const ship = items.find((i) => i.lineNo === null);
  return {
    regionCode: rules.code,
    provider,
    pricesIncludeTax: inclusive,
    rounding: rules.rounding,
    lines: items
      .filter((i) => i.lineNo !== null)
      .map((i) => ({ lineNo: i.lineNo!, taxClass: i.taxClass, rateBp: i.rateBp, taxableMinor: i.amountMinor, taxMinor: i.taxMinor })),
    shipping: ship ? { rateBp: ship.rateBp, taxableMinor: ship.amountMinor, taxMinor: ship.taxMinor } : null,
    rates: [...byRate.values()].sort((a, b) => b.rateBp - a.rateBp),
    taxMinor: items.reduce((n, i) => n + i.taxMinor, 0),
  };
}

/**
 * Rounds the tax of items sharing one rate once, on their sum, and gives
 * each item its floor plus one minor unit to the largest remainders (ties:
 * the earlier item) until the items add up to the rounded total.
 */
function shareOut(items: { amountMinor: number; rateBp: number; taxMinor: number }[], inclusive: boolean): void {
  if (items.length === 0) return;
  const total = roundHalfUp(
    exactTax(
      items.reduce((n, i) => n + i.amountMinor, 0),
      items[0]!.rateBp,
      inclusive,
    ),
  );
  const parts = items.map((i) => exactTax(i.amountMinor, i.rateBp, inclusive));
  const floors = parts.map((p) => p.num / p.den);
  let left = total - floors.reduce((n, f) => n + f, 0n);
  const order = parts
    .map((p, idx) => ({ idx, rem: p.num % p.den }))
    .sort((a, b) => (a.rem === b.rem ? a.idx - b.idx : a.rem > b.rem ? -1 : 1));
  for (const o of order) {
    if (left <= 0n) break;
    floors[o.idx]! += 1n;
    left -= 1n;
  }
  items.forEach((it, idx) => {
    it.taxMinor = Number(floors[idx]!);
  });
}
