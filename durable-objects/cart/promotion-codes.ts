/**
 * The promotion codes a cart holds (pure). The cart keeps only the codes'
 * text: whether a code applies is decided against the lines and the code's
 * rules each time the cart is shown and again at checkout, so a code that
 * stops applying stays on the cart and says why. Changing the codes bumps
 * the cart's version and announces nothing.
 */
import type { CartState, Outcome } from "./cart-rules.ts";

export const codesOf = (state: CartState | null): string[] => state?.promotionCodes ?? [];

/** Adds a code (upper case); adding one the cart has changes nothing; beyond `maxCodes` a refusal. */
export function addCode(state: CartState, code: string, maxCodes: number, now: number): Outcome {
  const codes = codesOf(state);
  const upper = code.toUpperCase();
  if (codes.includes(upper)) return { ok: true, state, effects: [] };
  if (codes.length >= maxCodes) return { ok: false, code: "PROMOTION_CODE_LIMIT", maxCodes };
  return { ok: true, state: withCodes(state, [...codes, upper], now), effects: [] };
}

export function removeCode(state: CartState, code: string, now: number): Outcome {
  const upper = code.toUpperCase();
  const codes = codesOf(state);
  if (!codes.includes(upper)) return { ok: false, code: "PROMOTION_NOT_ON_CART", promotionCode: upper };
  return {
    ok: true,
    state: withCodes(
      state,
      codes.filter((c) => c !== upper),
      now,
    ),
    effects: [],
  };
}

/** Takes a merged guest cart's codes after the cart's own, as many as fit (a sign-in keeps the codes the guest applied). */
export function mergeCodes(state: CartState, codes: readonly string[], maxCodes: number, now: number): CartState {
  const own = codesOf(state);
  const merged = [...own, ...codes.filter((c) => !own.includes(c))].slice(0, Math.max(maxCodes, own.length));
  return merged.length === own.length ? state : withCodes(state, merged, now);
}

/** Drops these codes if present (the ones an order took with the lines). */
export function dropCodes(state: CartState, codes: readonly string[], now: number): CartState {
  const left = codesOf(state).filter((c) => !codes.includes(c));
  return left.length === codesOf(state).length ? state : withCodes(state, left, now);
}

const withCodes = (state: CartState, promotionCodes: string[], now: number): CartState => ({
  ...state,
  promotionCodes,
  version: state.version + 1,
  lastActivityAt: now,
});
