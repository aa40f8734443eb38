/**
 * Codes against a cart or an order: the codes and the catalogue facts their
 * rules need are read together (one round trip), then the same pure rules
 * decide in both places. The cart reports each code (applies or why not);
 * checkout refuses the order when a code it was given does not apply.
 */
import type { Queryable } from "../platform/db.ts";
import { ApiError } from "../platform/errors.ts";
import { catalogFacts, type LineFacts, needsFacts } from "./catalog-facts.ts";
import { PromotionErrors } from "./errors.ts";
import { type PromotableLine, type Promotion, refusal } from "./promotion-rules.ts";
import { type StackedPromotions, stackPromotions } from "./promotion-stacking.ts";
import { customerUses, findPromotions } from "./store.ts";

export interface CodeLine extends PromotableLine {
  sku: string;
}

/** What a cart shows of one of its codes. */
export interface CodeStatus {
  code: string;
  applies: boolean;
  /** Off the lines, with the codes chosen together. */
  discountMinor: number;
  freeShipping: boolean;
  /** Why the code does not apply now (it stays on the cart and may apply again). */
  reason: string | null;
}

/** The codes (by their text, upper case) and the catalogue facts of these SKUs when a code needs them. */
export async function loadCodes(
  db: Queryable,
  codes: readonly string[],
  skus: readonly string[],
): Promise<{ promos: Map<string, Promotion>; facts: Map<string, LineFacts> }> {
  if (codes.length === 0) return { promos: new Map(), facts: new Map() };
  // The facts are read beside the codes (most codes do not need them; the read is cheap and saves a round trip).
  const [found, facts] = await Promise.all([findPromotions(db, codes), catalogFacts(db, skus)]);
  return { promos: new Map(found.map((p) => [p.code, p])), facts: needsFacts(found) ? facts : new Map() };
}

export const withFacts = <L extends CodeLine>(lines: readonly L[], facts: Map<string, LineFacts>): L[] =>
  lines.map((l) => ({ ...l, categoryIds: facts.get(l.sku)?.categoryIds ?? [], brandId: facts.get(l.sku)?.brandId ?? null }));

/** Each of a cart's codes now: the ones that apply are stacked, the others say why not. */
export function cartCodes(
  codes: readonly string[],
  promos: Map<string, Promotion>,
  lines: readonly CodeLine[],
  currency: string,
  at: Date,
): { statuses: CodeStatus[]; stacked: StackedPromotions } {
  const why = new Map<string, string>();
  const applicable: Promotion[] = [];
  for (const code of codes) {
    const p = promos.get(code);
    const r = p ? refusal(p, lines, currency, at) : "no such code";
    if (r === null && p) applicable.push(p);
    else why.set(code, r ?? "no such code");
  }
  const stacked = stackPromotions(applicable, lines);
  for (const s of stacked.setAside) why.set(s.code, s.reason);
  const statuses = codes.map((code) => {
    const a = stacked.applied.find((x) => x.code === code);
    return {
      code,
      applies: a !== undefined,
      discountMinor: a?.discountMinor ?? 0,
      freeShipping: a?.freeShipping ?? false,
      reason: why.get(code) ?? null,
    };
  });
  return { statuses, stacked };
}

/**
 * The codes of an order, re-validated now whatever the cart showed: each must
 * apply (409 when used up, the answer an order racing for the last use gets
 * too; 422 otherwise), then they are stacked.
 */
export function orderCodes(
  codes: readonly string[],
  promos: Map<string, Promotion>,
  lines: readonly CodeLine[],
  currency: string,
  at: Date,
  field = "promotionCode",
): StackedPromotions & { chosen: Promotion[] } {
  const valid: Promotion[] = [];
  for (const raw of codes) {
    const code = raw.trim().toUpperCase();
    const p = promos.get(code);
    if (p?.active && p.usageLimit !== null && p.uses >= p.usageLimit)
      throw new ApiError(PromotionErrors.PROMOTION_EXHAUSTED, `The promotion code ${code} has been used up by other orders`);
    const why = p ? refusal(p, lines, currency, at) : "no such code";
    if (why !== null || !p)
      throw new ApiError(PromotionErrors.PROMOTION_NOT_APPLICABLE, `The promotion code ${code} does not apply: ${why}`, {
        errors: [{ field, message: why ?? "no such code" }],
      });
    valid.push(p);
  }
  const stacked = stackPromotions(valid, lines);
  return { ...stacked, chosen: valid.filter((p) => stacked.applied.some((a) => a.promotionId === p.id)) };
}

/**
 * Refuses a code the signed-in customer has already used as often as it
 * allows (409 PROMOTION_CUSTOMER_LIMIT), when it is applied to the cart: the
 * shopper learns it then, not at checkout. Checkout counts again under the
 * code's lock (`redeem`), which is what holds under concurrency.
 */
export async function checkCustomerLimit(db: Queryable, promo: Promotion, userId: string, field = "code"): Promise<void> {
  if (promo.perCustomerLimit === null) return;
  if ((await customerUses(db, promo.id, userId)) < promo.perCustomerLimit) return;
  throw new ApiError(
    PromotionErrors.PROMOTION_CUSTOMER_LIMIT,
    `You have already used the promotion code ${promo.code} as often as it allows (${promo.perCustomerLimit} time(s) per customer)`,
    { errors: [{ field, message: "used up by this customer" }] },
  );
}
