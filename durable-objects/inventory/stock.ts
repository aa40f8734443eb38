/**
 * The stock rules of one SKU as pure functions: the state of its stock and
 * holds, the movements of its level (opening balance, receipts, adjustments,
 * returns, settings), the alerts a change of level raises and the invariants
 * that must always hold. The hold rules (reserve, commit, release, ...) are
 * in holds.ts and build on the pieces here. Every rule takes state and input
 * and returns the new state, the changed holds and the ledger movements. The
 * Inventory Durable Object stores what these return; nothing here reads a
 * clock or touches storage, so every rule is tested on its own and under
 * random sequences (stock.property.test.ts).
 *
 * Quantities are whole units. A hold is live while `held` (until its expiry)
 * or `pinned` (a commit in progress: it no longer expires). Available stock
 * is on hand minus the sum of live holds, and never negative.
 */
import type { MovementKind } from "../../queues/contracts/events/inventory.ts";

export type HoldStatus = "held" | "pinned" | "committed" | "released" | "expired";

export interface StockSettings {
  /** Below this many available units the SKU is low on stock. */
  lowStockThreshold: number;
  /** At or below this many available units a reorder is suggested... */
  reorderPoint: number;
  /** ...of this many units; 0 turns reorder suggestions off. */
  reorderQuantity: number;
}

export const DEFAULT_SETTINGS: StockSettings = { lowStockThreshold: 5, reorderPoint: 3, reorderQuantity: 20 };

/** Running totals per movement kind: on hand must always equal what they add up to. */
export interface StockTotals {
  opening: number;
  received: number;
  adjusted: number;
  sold: number;
  returned: number;
}

export interface StockState {
  sku: string;
  /** False until the first opening balance, receipt or adjustment. */
  initialized: boolean;
  onHand: number;
  reserved: number;
  settings: StockSettings;
  totals: StockTotals;
  /** Bumped by every change of the level or the settings. */
  version: number;
  updatedAt: number;
}

export interface Hold {
  reservationId: string;
  quantity: number;
  status: HoldStatus;
  expiresAt: number;
  createdAt: number;
  updatedAt: number;
  actor: string;
}

export interface Movement {
  kind: MovementKind;
  quantity: number;
  onHandDelta: number;
  reservedDelta: number;
  reservationId: string | null;
  actor: string;
  reason: string | null;
}

/** What an operation changed; `null` when it changed nothing (a refusal or a replay). */
export interface Change {
  state: StockState;
  holds: Hold[];
  /** Holds to forget entirely (a rolled-back attempt), so their id can be used again. */
  forget: string[];
  movements: Movement[];
}

export interface Actor {
  actor: string;
  reason?: string | null;
}

export function emptyState(sku: string): StockState {
  return {
    sku,
    initialized: false,
    onHand: 0,
    reserved: 0,
    settings: { ...DEFAULT_SETTINGS },
    totals: { opening: 0, received: 0, adjusted: 0, sold: 0, returned: 0 },
    version: 0,
    updatedAt: 0,
  };
}

export const available = (s: StockState): number => s.onHand - s.reserved;

export type StockStatus = "in_stock" | "low_stock" | "out_of_stock";
export function stockStatus(s: StockState): StockStatus {
  const a = available(s);
  return a <= 0 ? "out_of_stock" : a < s.settings.lowStockThreshold ? "low_stock" : "in_stock";
}

/** The status a hold has at `now`: a `held` hold past its expiry is expired even before the alarm records it. */
export const effectiveStatus = (h: Hold, now: number): HoldStatus => (h.status === "held" && h.expiresAt <= now ? "expired" : h.status);

/** Throws unless `n` is a whole number of units above zero. */
export function positiveInt(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`${what} must be a positive integer`);
}

/** The state with `patch` applied, as a new version at `now`. */
export function bump(state: StockState, now: number, patch: Partial<StockState>): StockState {
  return { ...state, ...patch, version: state.version + 1, updatedAt: now };
}

/** One ledger movement, recorded for `who`. */
export function movement(
  kind: MovementKind,
  quantity: number,
  onHandDelta: number,
  reservedDelta: number,
  reservationId: string | null,
  who: Actor,
): Movement {
  return { kind, quantity, onHandDelta, reservedDelta, reservationId, actor: who.actor, reason: who.reason ?? null };
}

// ---- stock movements by staff and other families

export type StockOutcome = { kind: "ok" } | { kind: "refused"; available: number; reason: string };

export function openBalance(
  state: StockState,
  onHand: number,
  settings: Partial<StockSettings>,
  who: Actor,
  now: number,
): { outcome: StockOutcome; change: Change | null } {
  if (!Number.isSafeInteger(onHand) || onHand < 0) throw new RangeError("opening balance must be a non-negative integer");
  if (state.initialized) return { outcome: { kind: "refused", available: available(state), reason: "already initialised" }, change: null };
  const next = bump(state, now, {
    initialized: true,
    onHand,
    settings: validSettings({ ...state.settings, ...settings }),
    totals: { ...state.totals, opening: onHand },
  });
  return {
    outcome: { kind: "ok" },
    change: { state: next, holds: [], forget: [], movements: [movement("opening", onHand, onHand, 0, null, who)] },
  };
}

export function restock(state: StockState, quantity: number, who: Actor, now: number): { outcome: StockOutcome; change: Change } {
  positiveInt(quantity, "quantity");
  const next = bump(state, now, {
    initialized: true,
    onHand: state.onHand + quantity,
    totals: { ...state.totals, received: state.totals.received + quantity },
  });
  return {
    outcome: { kind: "ok" },
    change: { state: next, holds: [], forget: [], movements: [movement("receipt", quantity, quantity, 0, null, who)] },
  };
}

/** A correction after a count, damage or loss: on hand may not fall below what live holds promise. */
export function adjust(state: StockState, delta: number, who: Actor, now: number): { outcome: StockOutcome; change: Change | null } {
  if (!Number.isSafeInteger(delta) || delta === 0) throw new RangeError("delta must be a non-zero integer");
  if (state.onHand + delta < state.reserved) {
    return {
      outcome: {
        kind: "refused",
        available: available(state),
        reason: `would leave ${state.onHand + delta} on hand for ${state.reserved} held`,
      },
      change: null,
    };
  }
  const next = bump(state, now, {
    initialized: true,
    onHand: state.onHand + delta,
    totals: { ...state.totals, adjusted: state.totals.adjusted + delta },
  });
  return {
    outcome: { kind: "ok" },
    change: { state: next, holds: [], forget: [], movements: [movement("adjustment", Math.abs(delta), delta, 0, null, who)] },
  };
}

/** Units a customer sent back go on hand again. */
export function receiveReturn(
  state: StockState,
  quantity: number,
  reservationId: string | null,
  who: Actor,
  now: number,
): { outcome: StockOutcome; change: Change } {
  positiveInt(quantity, "quantity");
  const next = bump(state, now, {
    initialized: true,
    onHand: state.onHand + quantity,
    totals: { ...state.totals, returned: state.totals.returned + quantity },
  });
  return {
    outcome: { kind: "ok" },
    change: { state: next, holds: [], forget: [], movements: [movement("return", quantity, quantity, 0, reservationId, who)] },
  };
}

export function validSettings(s: StockSettings): StockSettings {
  for (const [k, v] of Object.entries(s))
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${k} must be a non-negative integer`);
  return { lowStockThreshold: s.lowStockThreshold, reorderPoint: s.reorderPoint, reorderQuantity: s.reorderQuantity };
}

export function configure(state: StockState, patch: Partial<StockSettings>, who: Actor, now: number): Change {
  const settings = validSettings({ ...state.settings, ...patch });
  return { state: bump(state, now, { settings }), holds: [], forget: [], movements: [movement("settings", 0, 0, 0, null, who)] };
}

// ---- what others must hear about, and what must always hold

export type Signal =
  | { type: "LowStockAlert"; available: number; onHand: number; lowStockThreshold: number }
  | { type: "OutOfStock"; onHand: number; reserved: number }
  | { type: "ReorderSuggested"; available: number; onHand: number; reorderPoint: number; suggestedQuantity: number };

/** Alerts are edge-triggered: announced when a level crosses a line, not again while it stays beyond it. */
export function signals(before: StockState, after: StockState): Signal[] {
  if (!before.initialized) return [];
  const a0 = available(before);
  const a1 = available(after);
  const out: Signal[] = [];
  const low = (s: StockState, a: number) => a < s.settings.lowStockThreshold;
  if (!low(before, a0) && low(after, a1))
    out.push({ type: "LowStockAlert", available: a1, onHand: after.onHand, lowStockThreshold: after.settings.lowStockThreshold });
  if (a0 > 0 && a1 === 0) out.push({ type: "OutOfStock", onHand: after.onHand, reserved: after.reserved });
  const { reorderPoint, reorderQuantity } = after.settings;
  if (reorderQuantity > 0 && a0 > before.settings.reorderPoint && a1 <= reorderPoint) {
    out.push({ type: "ReorderSuggested", available: a1, onHand: after.onHand, reorderPoint, suggestedQuantity: reorderQuantity });
  }
  return out;
}

/** Every invariant of a SKU's stock; an empty list means all hold. */
export function violations(state: StockState, liveHoldTotal: number): string[] {
  const v: string[] = [];
  const t = state.totals;
  if (state.reserved < 0) v.push(`reserved ${state.reserved} < 0`);
  if (available(state) < 0) v.push(`available ${available(state)} < 0`);
  if (state.reserved !== liveHoldTotal) v.push(`reserved ${state.reserved} != live holds ${liveHoldTotal}`);
  const expected = t.opening + t.received + t.adjusted - t.sold + t.returned;
  if (state.onHand !== expected) v.push(`on hand ${state.onHand} != opening + receipts + adjustments - sales + returns = ${expected}`);
  return v;
}
