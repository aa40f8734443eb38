/**
 * The tax a cart would pay at a destination, before checkout: the same tax
 * provider the order uses, on each line at what it comes to after the cart's
 * promotion codes. Shipping (and its tax) is decided at checkout from the
 * order's subtotal and is not in the estimate; checkout computes the tax
 * again from the order, which is what is charged.
 */
import type { CartSnapshot } from "../../durable-objects/cart/index.ts";
import type { Queryable } from "../platform/db.ts";
import type { Runtime } from "../platform/runtime.ts";
import { quoteSkusOrLastKnown } from "../products/index.ts";
import { calculateTax } from "../taxes/index.ts";
import { linesAfterCodes, readCartCodes } from "./promotions.ts";
import type { CartTaxBody } from "./schemas.ts";

export async function estimateCartTax(
  rt: Runtime,
  db: Queryable,
  origin: string,
  snap: CartSnapshot,
  destination: { country: string; region: string | null },
): Promise<CartTaxBody> {
  const skus = snap.lines.map((l) => l.sku);
  const [{ quotes }, codes] = await Promise.all([
    skus.length > 0 ? quoteSkusOrLastKnown(rt, db, origin, skus) : Promise.resolve({ quotes: new Map() }),
    readCartCodes(db, snap),
  ]);
  const { currency, lines } = linesAfterCodes(snap, quotes, codes);
  const country = destination.country.toUpperCase();
  const region = destination.region?.toUpperCase() ?? null;
  if (currency === null || lines.length === 0)
    return { country, region, currency, regionCode: null, pricesIncludeTax: false, lines: [], amountMinor: 0, taxMinor: 0, totalMinor: 0 };
  const tax = await calculateTax(rt, db, {
    currency,
    destination: { country, region },
    lines: lines.map((l) => ({ lineNo: l.lineNo, productId: l.productId, amountMinor: l.amountMinor })),
    shippingMinor: 0,
  });
  const byLine = new Map(tax.lines.map((t) => [t.lineNo, t]));
  const amountMinor = lines.reduce((n, l) => n + l.amountMinor, 0);
  return {
    country,
    region,
    currency,
    regionCode: tax.regionCode,
    pricesIncludeTax: tax.pricesIncludeTax,
    lines: lines.map((l) => ({
      sku: l.sku,
      amountMinor: l.amountMinor,
      rateBp: byLine.get(l.lineNo)?.rateBp ?? 0,
      taxMinor: byLine.get(l.lineNo)?.taxMinor ?? 0,
    })),
    amountMinor,
    taxMinor: tax.taxMinor,
    totalMinor: tax.pricesIncludeTax ? amountMinor : amountMinor + tax.taxMinor,
  };
}
