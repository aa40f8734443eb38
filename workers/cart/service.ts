/**
 * The cart family's service: the routes (and checkout later) call it. Lines
 * and quantities live in the cart's Durable Object; prices always come from
 * the catalogue (`quoteSkus`, discounts applied). Availability of the line
 * an operation changes comes from its SKU's inventory object (the operation
 * asked it anyway); the other lines' from the stock projection, in one
 * statement beside the quotes, so a cart answer never asks one object per
 * line. Refusals become ApiErrors with stable codes.
 */
import {
  type CartResult,
  type CartSnapshot,
  cartTotals,
  type MergeAdjustment,
  type Price,
  priceChanged,
  type Refusal,
} from "../../durable-objects/cart/index.ts";
import { getAvailability, getStockLevels, InventoryErrors } from "../inventory/index.ts";
import type { Queryable } from "../platform/db.ts";
import { isDatabaseUnavailable } from "../platform/db-errors.ts";
import { ApiError } from "../platform/errors.ts";
import type { Runtime } from "../platform/runtime.ts";
import { CatalogErrors, quoteSkusOrLastKnown, type SkuQuote } from "../products/index.ts";
import { CartErrors } from "./errors.ts";
import { cartPromotions, readCartCodes } from "./promotions.ts";
import type { CartBody } from "./schemas.ts";
import type { CartSession } from "./session.ts";

const EMPTY: CartSnapshot = { cartId: null, lines: [], promotionCodes: [], version: 0, lastActivityAt: null, expiresAt: null };

/** What an operation already read, so presenting its answer does not read it again. */
export interface KnownFacts {
  quotes?: Map<string, SkuQuote>;
  available?: Record<string, number>;
  /** The quotes are the last known ones: the database could not answer. */
  lastKnown?: boolean;
}

/** What the cart says while it runs on last-known prices (docs/degraded-mode.md). */
const PROVISIONAL = {
  reason: "database_unavailable" as const,
  message: "Prices and availability are the last known; they will be confirmed at checkout.",
};

/**
 * The catalogue's current quote of a SKU that can be sold (its price is never the client's). While the
 * database is unavailable, its last-known quote; a SKU with none cannot be priced and the request gets 503.
 */
export async function sellableQuote(
  rt: Runtime,
  db: Queryable,
  origin: string,
  sku: string,
): Promise<{ quote: SkuQuote; lastKnown: boolean }> {
  const source = await quoteSkusOrLastKnown(rt, db, origin, [sku]);
  const quote = source.quotes.get(sku);
  if (!quote && source.unavailable) throw source.unavailable;
  if (!quote)
    throw new ApiError(CatalogErrors.UNKNOWN_SKU, `No product variant has the SKU ${sku}`, {
      errors: [{ field: "sku", message: "unknown SKU" }],
    });
  if (!quote.sellable) throw new ApiError(CatalogErrors.SKU_NOT_SELLABLE, `${sku} is not for sale`, { sku });
  return { quote, lastKnown: source.lastKnown };
}

/** The price a cart line records when it is added or changed. */
export const linePrice = (quote: SkuQuote): Price => ({ unitPriceMinor: quote.price.unitPriceMinor, currency: quote.price.currency });

export async function readCart(session: CartSession): Promise<CartSnapshot> {
  return session.stub ? session.stub.snapshot() : EMPTY;
}

/** The result of a cart operation (the cart, and the availability it read), or the refusal as an ApiError. */
export function unwrap(result: CartResult): { snap: CartSnapshot; available?: Record<string, number> } {
  if (result.ok) return { snap: result.cart, available: result.available };
  throw refusalError(result);
}

function refusalError(r: Refusal): ApiError {
  switch (r.code) {
    case "INSUFFICIENT_STOCK":
      return new ApiError(InventoryErrors.INSUFFICIENT_STOCK, `Only ${r.available} of ${r.sku} available`, {
        sku: r.sku,
        requested: r.requested,
        available: r.available,
      });
    case "CART_LINE_LIMIT":
      return new ApiError(CartErrors.CART_LINE_LIMIT, `A cart holds at most ${r.maxLines} lines`, { maxLines: r.maxLines });
    case "CART_QUANTITY_LIMIT":
      return new ApiError(CartErrors.CART_QUANTITY_LIMIT, `At most ${r.maxQuantity} units of one SKU per cart`, {
        sku: r.sku,
        requested: r.requested,
        maxQuantity: r.maxQuantity,
      });
    case "LINE_NOT_FOUND":
      return new ApiError(CartErrors.LINE_NOT_FOUND, `The cart has no line for ${r.sku}`, { sku: r.sku });
    case "PROMOTION_CODE_LIMIT":
      return new ApiError(CartErrors.PROMOTION_CODE_LIMIT, `A cart holds at most ${r.maxCodes} promotion codes`, { maxCodes: r.maxCodes });
    case "PROMOTION_NOT_ON_CART":
      return new ApiError(CartErrors.PROMOTION_NOT_ON_CART, `The cart has no promotion code ${r.promotionCode}`, {
        promotionCode: r.promotionCode,
      });
  }
}

/** The cart as the shopper sees it: current prices and discounts, price-change flags, availability now, totals. */
export async function presentCart(
  rt: Runtime,
  db: Queryable,
  origin: string,
  owner: "user" | "guest",
  snap: CartSnapshot,
  merged?: MergeAdjustment[],
  known: KnownFacts = {},
): Promise<CartBody> {
  const skus = snap.lines.map((l) => l.sku);
  // Only what the operation did not already read: one statement for the other lines' quotes
  // and one for their stock, sent at the same time.
  const toQuote = skus.filter((s) => !known.quotes?.has(s));
  const toCount = skus.filter((s) => known.available?.[s] === undefined);
  const [fresh, levels, codes] = await Promise.all([
    toQuote.length > 0
      ? quoteSkusOrLastKnown(rt, db, origin, toQuote)
      : Promise.resolve({ quotes: new Map<string, SkuQuote>(), lastKnown: false }),
    availabilityOf(rt, db, toCount),
    readCartCodes(db, snap),
  ]);
  const lastKnown = (known.lastKnown ?? false) || fresh.lastKnown;
  const quotes = new Map([...(known.quotes ?? []), ...fresh.quotes]);
  const availability = new Map([...Object.entries(known.available ?? {}), ...levels]);
  const lines = snap.lines.map((l) => {
    const q = quotes.get(l.sku);
    // With the database down, a line no quote was kept for keeps the price it was added at (the cart's own state).
    const price = q?.price ?? (lastKnown ? ownPrice(l) : null);
    const available = availability.get(l.sku) ?? 0;
    return {
      sku: l.sku,
      quantity: l.quantity,
      productId: q?.productId ?? null,
      productName: q?.productName ?? null,
      options: q?.options ?? {},
      sellable: q?.sellable ?? price !== null,
      unitPrice: price,
      addedUnitPriceMinor: l.addedUnitPriceMinor,
      priceChanged: q ? priceChanged(l, q.price) : false,
      lineTotalMinor: price ? price.unitPriceMinor * l.quantity : null,
      available,
      insufficientStock: l.quantity > available,
      addedAt: new Date(l.addedAt).toISOString(),
      updatedAt: new Date(l.updatedAt).toISOString(),
    };
  });
  const priced = lines
    .filter((l) => l.sellable && l.unitPrice)
    .map((l) => ({
      quantity: l.quantity,
      unitPriceMinor: l.unitPrice!.unitPriceMinor,
      discountMinor: l.unitPrice!.discountMinor,
      currency: l.unitPrice!.currency,
    }));
  return {
    cartId: snap.cartId,
    owner,
    version: snap.version,
    lines,
    totals: cartTotals(priced),
    itemCount: lines.reduce((n, l) => n + l.quantity, 0),
    priceChanged: lines.some((l) => l.priceChanged),
    ...cartPromotions(snap, quotes, lastKnown ? null : codes),
    expiresAt: snap.expiresAt,
    ...(merged ? { merged } : {}),
    ...(lastKnown ? { provisional: PROVISIONAL } : {}),
  };
}

/**
 * Units available of each SKU, from the stock projection (it follows the
 * inventory objects' events, a moment behind them; checkout reserves from
 * the objects themselves). With the database down, each SKU's object answers.
 */
async function availabilityOf(rt: Runtime, db: Queryable, skus: string[]): Promise<(readonly [string, number])[]> {
  if (skus.length === 0) return [];
  try {
    const levels = await getStockLevels(db, skus);
    return skus.map((s) => [s, levels.get(s)?.available ?? 0] as const);
  } catch (err) {
    if (!isDatabaseUnavailable(err)) throw err;
    return Promise.all(skus.map(async (s) => [s, (await getAvailability(rt, s)).available] as const));
  }
}

/** A line's own recorded price, as a unit price without discount: what the cart knows when nothing else can price it. */
const ownPrice = (l: CartSnapshot["lines"][number]): SkuQuote["price"] => ({
  currency: l.currency,
  baseMinor: l.addedUnitPriceMinor,
  unitPriceMinor: l.addedUnitPriceMinor,
  discountMinor: 0,
  compareAtMinor: null,
  discount: null,
});
