/**
 * The cart's rules as pure functions: state and input in, the new state and
 * what changed (the effects the object turns into events) out, or a refusal
 * with a stable code. Availability and prices are inputs: the object asks the
 * SKU's inventory object, the routes ask the catalogue; nothing here trusts
 * the client for either.
 */

import type { GuestContact } from "./guest-contact.ts";

export interface CartLine {
  sku: string;
  quantity: number;
  /** The unit price (discounts applied) the shopper last saw when adding or changing the line. */
  addedUnitPriceMinor: number;
  currency: string;
  addedAt: number;
  updatedAt: number;
}

export interface CartState {
  /** Opaque id of this cart's lifetime (a new one after it expires). */
  cartId: string;
  /** The user whose cart this is, or null for a guest cart. */
  userId: string | null;
  lines: CartLine[];
  /** Bumped by every change. */
  version: number;
  createdAt: number;
  lastActivityAt: number;
  /** Guest carts already merged into this one, so a repeated merge adds nothing. */
  merged: string[];
  /** Promotion codes applied to the cart, upper case, in the order applied (absent in carts stored before codes). */
  promotionCodes?: string[];
  /** A guest cart's reminder address (guest-contact.ts); absent when none was given. */
  contact?: GuestContact;
}

export interface CartLimits {
  maxLines: number;
  maxQuantityPerLine: number;
}

export interface Price {
  unitPriceMinor: number;
  currency: string;
}

export type CartEffect =
  | {
      kind: "added";
      sku: string;
      quantity: number;
      lineQuantity: number;
      unitPriceMinor: number;
      currency: string;
      via: "add" | "update" | "merge";
    }
  | { kind: "removed"; sku: string; quantity: number; lineQuantity: number; reason: "removed" | "reduced" | "cleared" };

export type Refusal =
  | { ok: false; code: "INSUFFICIENT_STOCK"; sku: string; requested: number; available: number }
  | { ok: false; code: "CART_LINE_LIMIT"; maxLines: number }
  | { ok: false; code: "CART_QUANTITY_LIMIT"; sku: string; requested: number; maxQuantity: number }
  | { ok: false; code: "LINE_NOT_FOUND"; sku: string }
  | { ok: false; code: "PROMOTION_CODE_LIMIT"; maxCodes: number }
  | { ok: false; code: "PROMOTION_NOT_ON_CART"; promotionCode: string };

export type Outcome = { ok: true; state: CartState; effects: CartEffect[] } | Refusal;

/** What a merge could not take as it was. */
export interface MergeAdjustment {
  sku: string;
  requested: number;
  kept: number;
  reason: "QUANTITY_LIMIT" | "INSUFFICIENT_STOCK" | "LINE_LIMIT";
}

export function emptyCart(cartId: string, userId: string | null, now: number): CartState {
  return { cartId, userId, lines: [], version: 0, createdAt: now, lastActivityAt: now, merged: [] };
}

const touched = (state: CartState, lines: CartLine[], now: number): CartState => ({
  ...state,
  lines,
  version: state.version + 1,
  lastActivityAt: now,
});

/**
 * Adds units of a SKU: a new line, or more of an existing one. The line's
 * quantity after the add must fit the per-line limit and what is available;
 * a new line must fit the line limit. The line's reference price becomes the
 * current one: the shopper just saw it.
 */
export function addItem(
  state: CartState,
  input: { sku: string; quantity: number; price: Price; available: number },
  limits: CartLimits,
  now: number,
): Outcome {
  const existing = state.lines.find((l) => l.sku === input.sku);
  const target = (existing?.quantity ?? 0) + input.quantity;
  if (!existing && state.lines.length >= limits.maxLines) return { ok: false, code: "CART_LINE_LIMIT", maxLines: limits.maxLines };
  if (target > limits.maxQuantityPerLine)
    return { ok: false, code: "CART_QUANTITY_LIMIT", sku: input.sku, requested: target, maxQuantity: limits.maxQuantityPerLine };
  if (target > input.available)
    return { ok: false, code: "INSUFFICIENT_STOCK", sku: input.sku, requested: target, available: Math.max(0, input.available) };
  const line: CartLine = existing
    ? { ...existing, quantity: target, addedUnitPriceMinor: input.price.unitPriceMinor, currency: input.price.currency, updatedAt: now }
    : {
        sku: input.sku,
        quantity: target,
        addedUnitPriceMinor: input.price.unitPriceMinor,
        currency: input.price.currency,
        addedAt: now,
        updatedAt: now,
      };
  const lines = existing ? state.lines.map((l) => (l.sku === input.sku ? line : l)) : [...state.lines, line];
  return {
    ok: true,
    state: touched(state, lines, now),
    effects: [
      {
        kind: "added",
        sku: input.sku,
        quantity: input.quantity,
        lineQuantity: target,
        unitPriceMinor: input.price.unitPriceMinor,
        currency: input.price.currency,
        via: "add",
      },
    ],
  };
}

/**
 * Sets a line's quantity (0 removes it). Raising it must fit the limit and
 * what is available; lowering it is always allowed, even when stock has
 * fallen below the line (the shopper is moving towards what can be sold).
 */
export function setQuantity(
  state: CartState,
  input: { sku: string; quantity: number; price: Price; available: number },
  limits: CartLimits,
  now: number,
): Outcome {
  const existing = state.lines.find((l) => l.sku === input.sku);
  if (!existing) return { ok: false, code: "LINE_NOT_FOUND", sku: input.sku };
  if (input.quantity === 0) return removeItem(state, input.sku, now);
  if (input.quantity > limits.maxQuantityPerLine)
    return { ok: false, code: "CART_QUANTITY_LIMIT", sku: input.sku, requested: input.quantity, maxQuantity: limits.maxQuantityPerLine };
  if (input.quantity > existing.quantity && input.quantity > input.available) {
    return { ok: false, code: "INSUFFICIENT_STOCK", sku: input.sku, requested: input.quantity, available: Math.max(0, input.available) };
  }
  const line: CartLine = {
    ...existing,
    quantity: input.quantity,
    addedUnitPriceMinor: input.price.unitPriceMinor,
    currency: input.price.currency,
    updatedAt: now,
  };
  const delta = input.quantity - existing.quantity;
  const effects: CartEffect[] =
    delta > 0
      ? [
          {
            kind: "added",
            sku: input.sku,
            quantity: delta,
            lineQuantity: input.quantity,
            unitPriceMinor: input.price.unitPriceMinor,
            currency: input.price.currency,
            via: "update",
          },
        ]
      : delta < 0
        ? [{ kind: "removed", sku: input.sku, quantity: -delta, lineQuantity: input.quantity, reason: "reduced" }]
        : [];
  return {
    ok: true,
    state: touched(
      state,
      state.lines.map((l) => (l.sku === input.sku ? line : l)),
      now,
    ),
    effects,
  };
}

export function removeItem(state: CartState, sku: string, now: number): Outcome {
  const existing = state.lines.find((l) => l.sku === sku);
  if (!existing) return { ok: false, code: "LINE_NOT_FOUND", sku };
  return {
    ok: true,
    state: touched(
      state,
      state.lines.filter((l) => l.sku !== sku),
      now,
    ),
    effects: [{ kind: "removed", sku, quantity: existing.quantity, lineQuantity: 0, reason: "removed" }],
  };
}

/** Removes the lines of these SKUs that the cart has (the ones an order took); the others are no refusal. */
export function removeLines(state: CartState, skus: string[], now: number): { state: CartState; effects: CartEffect[] } {
  let next = state;
  const effects: CartEffect[] = [];
  for (const sku of new Set(skus)) {
    const outcome = removeItem(next, sku, now);
    if (!outcome.ok) continue;
    next = outcome.state;
    effects.push(...outcome.effects);
  }
  return { state: next, effects };
}

/** Empties the cart; clearing an empty cart changes nothing. */
export function clearCart(state: CartState, now: number): { state: CartState; effects: CartEffect[] } {
  if (state.lines.length === 0) return { state, effects: [] };
  return {
    state: touched(state, [], now),
    effects: state.lines.map((l) => ({
      kind: "removed" as const,
      sku: l.sku,
      quantity: l.quantity,
      lineQuantity: 0,
      reason: "cleared" as const,
    })),
  };
}

/**
 * Merges a guest cart's lines into this cart: quantities add up, capped by
 * the per-line limit and by what is available (never below what the line
 * already holds), new lines only while the line limit allows. A source
 * already merged adds nothing. New lines keep the guest's reference price,
 * so a price that changed since the guest added it is still flagged.
 */
export function mergeLines(
  state: CartState,
  sourceId: string,
  source: readonly CartLine[],
  available: ReadonlyMap<string, number>,
  limits: CartLimits,
  now: number,
): { state: CartState; effects: CartEffect[]; adjustments: MergeAdjustment[]; replayed: boolean } {
  if (state.merged.includes(sourceId)) return { state, effects: [], adjustments: [], replayed: true };
  const lines = [...state.lines];
  const effects: CartEffect[] = [];
  const adjustments: MergeAdjustment[] = [];
  for (const s of source) {
    const index = lines.findIndex((l) => l.sku === s.sku);
    const have = index >= 0 ? lines[index]!.quantity : 0;
    const requested = have + s.quantity;
    const stock = Math.max(0, available.get(s.sku) ?? 0);
    if (index < 0 && lines.length >= limits.maxLines) {
      adjustments.push({ sku: s.sku, requested, kept: 0, reason: "LINE_LIMIT" });
      continue;
    }
    const kept = Math.max(have, Math.min(requested, limits.maxQuantityPerLine, stock));
    // The tighter of the two bounds is the reason.
    if (kept < requested)
      adjustments.push({
        sku: s.sku,
        requested,
        kept,
        reason: limits.maxQuantityPerLine <= stock ? "QUANTITY_LIMIT" : "INSUFFICIENT_STOCK",
      });
    if (kept === have) continue;
    if (index >= 0) lines[index] = { ...lines[index]!, quantity: kept, updatedAt: now };
    else lines.push({ ...s, quantity: kept, updatedAt: now });
    const line = lines[index >= 0 ? index : lines.length - 1]!;
    effects.push({
      kind: "added",
      sku: s.sku,
      quantity: kept - have,
      lineQuantity: kept,
      unitPriceMinor: line.addedUnitPriceMinor,
      currency: line.currency,
      via: "merge",
    });
  }
  // The merged list is bounded: only the most recent sources can come back as a retry.
  const merged = [...state.merged, sourceId].slice(-20);
  return { state: { ...touched(state, lines, now), merged }, effects, adjustments, replayed: false };
}

/** When the cart expires if nothing changes it. */
export const idleExpiry = (state: CartState, idleTtlMs: number): number => state.lastActivityAt + idleTtlMs;

export const isIdle = (state: CartState, idleTtlMs: number, now: number): boolean => now >= idleExpiry(state, idleTtlMs);

/** A line's price changed when the catalogue's current unit price (or currency) differs from the one the shopper saw. */
export const priceChanged = (line: Pick<CartLine, "addedUnitPriceMinor" | "currency">, current: Price): boolean =>
  line.addedUnitPriceMinor !== current.unitPriceMinor || line.currency !== current.currency;

export interface PricedLine {
  quantity: number;
  unitPriceMinor: number;
  discountMinor: number;
  currency: string;
}

/** Totals per currency (a cart may hold SKUs priced in several), in first-seen order. */
export function cartTotals(
  lines: readonly PricedLine[],
): { currency: string; itemCount: number; subtotalMinor: number; discountMinor: number }[] {
  const out = new Map<string, { currency: string; itemCount: number; subtotalMinor: number; discountMinor: number }>();
  for (const l of lines) {
    const t = out.get(l.currency) ?? { currency: l.currency, itemCount: 0, subtotalMinor: 0, discountMinor: 0 };
    t.itemCount += l.quantity;
    t.subtotalMinor += l.unitPriceMinor * l.quantity;
    t.discountMinor += l.discountMinor * l.quantity;
    out.set(l.currency, t);
  }
  return [...out.values()];
}
