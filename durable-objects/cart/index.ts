/**
 * The cart family's object: one Cart object per cart (the single writer of
 * its lines), the rules the family's service shares with it (prices, totals,
 * merge adjustments), and the cart settings the object enforces.
 */
export { Cart, type CartCaller, type CartResult, type CartSnapshot } from "./cart.ts";
export { cartTotals, type MergeAdjustment, type Price, priceChanged, type Refusal } from "./cart-rules.ts";
export { cartConfig } from "./config.ts";
