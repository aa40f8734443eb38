/**
 * The hold rules of one SKU as pure functions: reserving units under a
 * reservation id, and what ends a hold (a sale, a release, an expiry) or
 * keeps it (a pin, an extension). Like the stock rules (stock.ts) they take
 * the state and the hold and return the new state, the changed holds and the
 * ledger movements; nothing here reads a clock or touches storage.
 *
 * A hold is live while `held` (until its expiry) or `pinned` (a commit in
 * progress: it no longer expires); its units count as reserved until it is
 * committed, released or expired.
 */
import {
  type Actor,
  available,
  bump,
  type Change,
  effectiveStatus,
  type Hold,
  type HoldStatus,
  movement,
  positiveInt,
  type StockState,
} from "./stock.ts";

export type ReserveOutcome =
  | { kind: "held"; hold: Hold; replayed: boolean }
  | { kind: "refused"; available: number }
  | { kind: "mismatch"; hold: Hold }
  | { kind: "closed"; hold: Hold; status: HoldStatus };

export function reserve(
  state: StockState,
  existing: Hold | undefined,
  req: { reservationId: string; quantity: number; expiresAt: number } & Actor,
  now: number,
): { outcome: ReserveOutcome; change: Change | null } {
  positiveInt(req.quantity, "quantity");
  if (existing) {
    if (existing.quantity !== req.quantity) return { outcome: { kind: "mismatch", hold: existing }, change: null };
    const status = effectiveStatus(existing, now);
    if (status === "held" || status === "pinned") return { outcome: { kind: "held", hold: existing, replayed: true }, change: null };
    return { outcome: { kind: "closed", hold: existing, status }, change: null };
  }
  if (req.expiresAt <= now) throw new RangeError("a hold must expire in the future");
  const free = available(state);
  if (!state.initialized || req.quantity > free) return { outcome: { kind: "refused", available: Math.max(0, free) }, change: null };
  const hold: Hold = {
    reservationId: req.reservationId,
    quantity: req.quantity,
    status: "held",
    expiresAt: req.expiresAt,
    createdAt: now,
    updatedAt: now,
    actor: req.actor,
  };
  const next = bump(state, now, { reserved: state.reserved + req.quantity });
  return {
    outcome: { kind: "held", hold, replayed: false },
    change: {
      state: next,
      holds: [hold],
      forget: [],
      movements: [movement("reservation", req.quantity, 0, req.quantity, req.reservationId, req)],
    },
  };
}

export type HoldOutcome =
  | { kind: "ok"; hold: Hold; replayed: boolean }
  | { kind: "not_found" }
  | { kind: "refused"; hold: Hold; status: HoldStatus };

type HoldResult = { outcome: HoldOutcome; change: Change | null };
const unchanged = (outcome: HoldOutcome): HoldResult => ({ outcome, change: null });

/** Turns a live hold into a sale: the units leave on hand and the hold. */
export function commit(state: StockState, hold: Hold | undefined, who: Actor, now: number): HoldResult {
  if (!hold) return unchanged({ kind: "not_found" });
  const status = effectiveStatus(hold, now);
  if (status === "committed") return unchanged({ kind: "ok", hold, replayed: true });
  if (status !== "held" && status !== "pinned") return unchanged({ kind: "refused", hold, status });
  const done: Hold = { ...hold, status: "committed", updatedAt: now };
  const next = bump(state, now, {
    onHand: state.onHand - hold.quantity,
    reserved: state.reserved - hold.quantity,
    totals: { ...state.totals, sold: state.totals.sold + hold.quantity },
  });
  return {
    outcome: { kind: "ok", hold: done, replayed: false },
    change: {
      state: next,
      holds: [done],
      forget: [],
      movements: [movement("sale", hold.quantity, -hold.quantity, -hold.quantity, hold.reservationId, who)],
    },
  };
}

/** Gives a live hold's units back. Releasing what is already released or expired changes nothing. */
export function release(state: StockState, hold: Hold | undefined, who: Actor & { forget?: boolean }, now: number): HoldResult {
  if (!hold) return unchanged({ kind: "not_found" });
  const status = effectiveStatus(hold, now);
  if (status === "committed") return unchanged({ kind: "refused", hold, status });
  if (status === "released" || status === "expired") {
    // An expired hold is expired by expireDue, which records the expiry; here it is simply not live any more.
    return {
      outcome: { kind: "ok", hold, replayed: true },
      change: who.forget ? { state, holds: [], forget: [hold.reservationId], movements: [] } : null,
    };
  }
  const done: Hold = { ...hold, status: "released", updatedAt: now };
  const next = bump(state, now, { reserved: state.reserved - hold.quantity });
  return {
    outcome: { kind: "ok", hold: done, replayed: false },
    change: {
      state: next,
      holds: who.forget ? [] : [done],
      forget: who.forget ? [hold.reservationId] : [],
      movements: [movement("release", hold.quantity, 0, -hold.quantity, hold.reservationId, who)],
    },
  };
}

/** Moves a held hold's expiry later (never earlier). A pinned hold does not expire, so it is left as it is. */
export function extend(hold: Hold | undefined, expiresAt: number, now: number): HoldResult {
  if (!hold) return unchanged({ kind: "not_found" });
  const status = effectiveStatus(hold, now);
  if (status === "pinned") return unchanged({ kind: "ok", hold, replayed: true });
  if (status !== "held") return unchanged({ kind: "refused", hold, status });
  if (expiresAt <= hold.expiresAt) return unchanged({ kind: "ok", hold, replayed: true });
  return { outcome: { kind: "ok", hold: { ...hold, expiresAt, updatedAt: now }, replayed: false }, change: null };
}

/** First step of a multi-line commit: a pinned hold no longer expires, so the sale cannot fail half way. */
export function pin(hold: Hold | undefined, now: number): HoldResult {
  if (!hold) return unchanged({ kind: "not_found" });
  const status = effectiveStatus(hold, now);
  if (status === "pinned" || status === "committed") return unchanged({ kind: "ok", hold, replayed: true });
  if (status !== "held") return unchanged({ kind: "refused", hold, status });
  return { outcome: { kind: "ok", hold: { ...hold, status: "pinned", updatedAt: now }, replayed: false }, change: null };
}

/** Expires every `held` hold whose time is up; records one expiry movement each. */
export function expireDue(state: StockState, holds: readonly Hold[], now: number): Change | null {
  const due = holds.filter((h) => h.status === "held" && h.expiresAt <= now);
  if (due.length === 0) return null;
  const total = due.reduce((n, h) => n + h.quantity, 0);
  return {
    state: bump(state, now, { reserved: state.reserved - total }),
    holds: due.map((h) => ({ ...h, status: "expired" as const, updatedAt: now })),
    forget: [],
    movements: due.map((h) => movement("expiry", h.quantity, 0, -h.quantity, h.reservationId, { actor: "system:expiry", reason: null })),
  };
}
