/**
 * A cart's promotion codes: checked against the cart when applied (the same
 * rules as at checkout: 422 PROMOTION_NOT_APPLICABLE, 409 PROMOTION_EXHAUSTED),
 * and shown with every cart answer (each code's discount now, or why it
 * stopped applying). The cart keeps only the codes; checkout re-validates
 * them and takes their uses.
 */
import type { CartSnapshot } from "../../durable-objects/cart/index.ts";
import type { Queryable } from "../platform/db.ts";
import { isDatabaseUnavailable } from "../platform/db-errors.ts";
import { ApiError } from "../platform/errors.ts";
import type { SkuQuote } from "../products/index.ts";
import { type CodeStatus, cartCodes, checkCustomerLimit, loadCodes, orderCodes, PromotionErrors, withFacts } from "../promotions/index.ts";

type Codes = Awaited<ReturnType<typeof loadCodes>>;

/** The cart's lines the codes count: sellable, priced, in the currency of the first of them. */
function promotableLines(snap: CartSnapshot, quotes: ReadonlyMap<string, SkuQuote>) {
  const priced = snap.lines.flatMap((l) => {
    const q = quotes.get(l.sku);
    return q?.sellable ? [{ sku: l.sku, productId: q.productId, quantity: l.quantity, price: q.price }] : [];
  });
  const currency = priced[0]?.price.currency ?? null;
  const lines = priced
    .filter((l) => l.price.currency === currency)
    .map((l, i) => ({
      lineNo: i + 1,
      sku: l.sku,
      productId: l.productId,
      quantity: l.quantity,
      lineTotalMinor: l.price.unitPriceMinor * l.quantity,
    }));
  return { currency, lines };
}

/** Refuses a code that does not apply to the cart now, or that the signed-in `userId` has used up (nothing is stored then). */
export async function checkCodeForCart(
  db: Queryable,
  code: string,
  snap: CartSnapshot,
  quotes: ReadonlyMap<string, SkuQuote>,
  userId: string | null,
): Promise<void> {
  const { currency, lines } = promotableLines(snap, quotes);
  if (currency === null)
    throw new ApiError(
      PromotionErrors.PROMOTION_NOT_APPLICABLE,
      `The promotion code ${code.toUpperCase()} does not apply: the cart is empty`,
      {
        errors: [{ field: "code", message: "the cart is empty" }],
      },
    );
  const loaded = await loadCodes(
    db,
    [code],
    lines.map((l) => l.sku),
  );
  const { chosen } = orderCodes([code], loaded.promos, withFacts(lines, loaded.facts), currency, new Date(), "code");
  // A guest cart names no customer: its per-customer limit is checked at checkout, against the guest order.
  if (userId !== null) for (const p of chosen) await checkCustomerLimit(db, p, userId);
}

/** Reads the cart's codes (and the catalogue facts they need) beside the quotes; null when the database cannot answer. */
export async function readCartCodes(db: Queryable, snap: CartSnapshot): Promise<Codes | null> {
  if (snap.promotionCodes.length === 0) return { promos: new Map(), facts: new Map() };
  try {
    return await loadCodes(
      db,
      snap.promotionCodes,
      snap.lines.map((l) => l.sku),
    );
  } catch (err) {
    if (!isDatabaseUnavailable(err)) throw err;
    return null;
  }
}

/** Each code on the cart now, and what they take off the lines together. */
export function cartPromotions(
  snap: CartSnapshot,
  quotes: ReadonlyMap<string, SkuQuote>,
  codes: Codes | null,
): { promotions: CodeStatus[]; promotionDiscountMinor: number } {
  const { currency, lines } = promotableLines(snap, quotes);
  if (codes === null || currency === null) {
    const reason = codes === null ? "the code cannot be checked now" : "the cart is empty";
    return {
      promotions: snap.promotionCodes.map((code) => ({ code, applies: false, discountMinor: 0, freeShipping: false, reason })),
      promotionDiscountMinor: 0,
    };
  }
  const { statuses, stacked } = cartCodes(snap.promotionCodes, codes.promos, withFacts(lines, codes.facts), currency, new Date());
  return { promotions: statuses, promotionDiscountMinor: stacked.discountMinor };
}

/** The lines a tax is computed on: each promotable line at what it comes to after its share of the codes' amount off. */
export function linesAfterCodes(
  snap: CartSnapshot,
  quotes: ReadonlyMap<string, SkuQuote>,
  codes: Codes | null,
): { currency: string | null; lines: { lineNo: number; sku: string; productId: string; amountMinor: number }[] } {
  const { currency, lines } = promotableLines(snap, quotes);
  const perLine =
    codes && currency !== null && snap.promotionCodes.length > 0
      ? cartCodes(snap.promotionCodes, codes.promos, withFacts(lines, codes.facts), currency, new Date()).stacked.perLine
      : new Map<number, number>();
  return {
    currency,
    lines: lines.map((l) => ({
      lineNo: l.lineNo,
      sku: l.sku,
      productId: l.productId,
      amountMinor: l.lineTotalMinor - (perLine.get(l.lineNo) ?? 0),
    })),
  };
}
