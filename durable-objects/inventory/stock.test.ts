/** The stock and hold rules as pure functions (stock.ts, holds.ts): each operation, its refusals, its replays and its signals. */
import { describe, expect, it } from "vitest";
import { commit, expireDue, extend, pin, release, reserve } from "./holds.ts";
import * as r from "./stock.ts";

const who = { actor: "user:u1" };
const T0 = 1_000_000;

function opened(onHand: number, settings: Partial<r.StockSettings> = {}): r.StockState {
  const { change } = r.openBalance(r.emptyState("SKU-1"), onHand, settings, who, T0);
  return change!.state;
}

function hold(state: r.StockState, id: string, quantity: number, expiresAt = T0 + 1000) {
  const { outcome, change } = reserve(state, undefined, { reservationId: id, quantity, expiresAt, ...who }, T0);
  if (outcome.kind !== "held" || !change) throw new Error(`not held: ${outcome.kind}`);
  return { state: change.state, hold: outcome.hold };
}

describe("reserve", () => {
  it("holds what is available and refuses more, reporting what is left", () => {
    const { state } = hold(opened(10), "a", 7);
    expect(r.available(state)).toBe(3);
    expect(state.reserved).toBe(7);
    const refused = reserve(state, undefined, { reservationId: "b", quantity: 4, expiresAt: T0 + 1000, ...who }, T0);
    expect(refused).toEqual({ outcome: { kind: "refused", available: 3 }, change: null });
    expect(hold(state, "c", 3).state.reserved).toBe(10);
  });

  it("refuses everything on a SKU that never had stock", () => {
    expect(reserve(r.emptyState("X"), undefined, { reservationId: "a", quantity: 1, expiresAt: T0 + 1, ...who }, T0).outcome).toEqual({
      kind: "refused",
      available: 0,
    });
  });

  it("answers a repeat with the existing hold, a different quantity with a mismatch, a closed hold with its status", () => {
    const { state, hold: h } = hold(opened(10), "a", 2);
    expect(reserve(state, h, { reservationId: "a", quantity: 2, expiresAt: T0 + 9999, ...who }, T0)).toEqual({
      outcome: { kind: "held", hold: h, replayed: true },
      change: null,
    });
    expect(reserve(state, h, { reservationId: "a", quantity: 3, expiresAt: T0 + 1000, ...who }, T0).outcome.kind).toBe("mismatch");
    expect(reserve(state, h, { reservationId: "a", quantity: 2, expiresAt: T0 + 5000, ...who }, T0 + 1000).outcome).toEqual({
      kind: "closed",
      hold: h,
      status: "expired",
    });
  });

  it("rejects quantities that are not positive integers and expiries in the past", () => {
    const s = opened(10);
    for (const q of [0, -1, 1.5, Number.NaN])
      expect(() => reserve(s, undefined, { reservationId: "a", quantity: q, expiresAt: T0 + 1, ...who }, T0)).toThrow(RangeError);
    expect(() => reserve(s, undefined, { reservationId: "a", quantity: 1, expiresAt: T0, ...who }, T0)).toThrow(RangeError);
  });
});

describe("commit, release, extend, pin", () => {
  it("commit sells a live hold once; a repeat changes nothing", () => {
    const { state, hold: h } = hold(opened(10), "a", 4);
    const sold = commit(state, h, who, T0 + 1);
    expect(sold.change!.state).toMatchObject({ onHand: 6, reserved: 0, totals: { sold: 4 } });
    expect(sold.change!.movements).toEqual([expect.objectContaining({ kind: "sale", onHandDelta: -4, reservedDelta: -4 })]);
    const again = commit(sold.change!.state, sold.change!.holds[0], who, T0 + 2);
    expect(again).toEqual({ outcome: { kind: "ok", hold: sold.change!.holds[0], replayed: true }, change: null });
  });

  it("commit refuses an expired or released hold, and an unknown one", () => {
    const { state, hold: h } = hold(opened(10), "a", 4);
    expect(commit(state, h, who, h.expiresAt).outcome).toMatchObject({ kind: "refused", status: "expired" });
    const released = release(state, h, who, T0 + 1).change!;
    expect(commit(released.state, released.holds[0], who, T0 + 2).outcome).toMatchObject({ kind: "refused", status: "released" });
    expect(commit(state, undefined, who, T0).outcome).toEqual({ kind: "not_found" });
  });

  it("release gives the units back once; releasing a sold hold is refused", () => {
    const { state, hold: h } = hold(opened(10), "a", 4);
    const released = release(state, h, who, T0 + 1).change!;
    expect(released.state.reserved).toBe(0);
    expect(release(released.state, released.holds[0], who, T0 + 2)).toMatchObject({
      outcome: { kind: "ok", replayed: true },
      change: null,
    });
    const sold = commit(state, h, who, T0 + 1).change!;
    expect(release(sold.state, sold.holds[0], who, T0 + 2).outcome).toMatchObject({ kind: "refused", status: "committed" });
  });

  it("release with forget drops the hold so its id can hold again", () => {
    const { state, hold: h } = hold(opened(10), "a", 4);
    const change = release(state, h, { ...who, forget: true }, T0 + 1).change!;
    expect(change.holds).toEqual([]);
    expect(change.forget).toEqual(["a"]);
    expect(hold(change.state, "a", 4).state.reserved).toBe(4);
  });

  it("extend moves an expiry later only, and not for a hold that is over", () => {
    const { hold: h } = hold(opened(10), "a", 1);
    expect(extend(h, h.expiresAt + 500, T0 + 1).outcome).toMatchObject({
      kind: "ok",
      replayed: false,
      hold: { expiresAt: h.expiresAt + 500 },
    });
    expect(extend(h, h.expiresAt - 500, T0 + 1).outcome).toMatchObject({ kind: "ok", replayed: true, hold: { expiresAt: h.expiresAt } });
    expect(extend(h, h.expiresAt + 500, h.expiresAt).outcome).toMatchObject({ kind: "refused", status: "expired" });
  });

  it("a pinned hold never expires and can still be sold or released", () => {
    const { state, hold: h } = hold(opened(10), "a", 3);
    const pinned = (pin(h, T0 + 1).outcome as { hold: r.Hold }).hold;
    expect(pinned.status).toBe("pinned");
    expect(expireDue(state, [pinned], h.expiresAt + 10_000)).toBeNull();
    expect(commit(state, pinned, who, h.expiresAt + 10_000).change!.state.onHand).toBe(7);
    expect(release(state, pinned, who, h.expiresAt + 10_000).change!.state.reserved).toBe(0);
  });
});

describe("expiry", () => {
  it("expires exactly the held holds whose time is up, one movement each", () => {
    let s = opened(10);
    const a = hold(s, "a", 2, T0 + 100);
    s = a.state;
    const b = hold(s, "b", 3, T0 + 200);
    s = b.state;
    expect(expireDue(s, [a.hold, b.hold], T0 + 99)).toBeNull();
    const change = expireDue(s, [a.hold, b.hold], T0 + 100)!;
    expect(change.holds.map((h) => [h.reservationId, h.status])).toEqual([["a", "expired"]]);
    expect(change.state.reserved).toBe(3);
    expect(change.movements).toEqual([expect.objectContaining({ kind: "expiry", reservedDelta: -2, reservationId: "a" })]);
  });
});

describe("staff movements", () => {
  it("adjust may lower on hand down to what is held, not below", () => {
    const { state } = hold(opened(10), "a", 6);
    expect(r.adjust(state, -4, { ...who, reason: "damaged" }, T0).change!.state.onHand).toBe(6);
    expect(r.adjust(state, -5, who, T0)).toMatchObject({ outcome: { kind: "refused", available: 4 }, change: null });
    expect(() => r.adjust(state, 0, who, T0)).toThrow(RangeError);
  });

  it("an opening balance is taken once; receipts and returns add to on hand", () => {
    const s = opened(5);
    expect(r.openBalance(s, 50, {}, who, T0).outcome).toMatchObject({ kind: "refused" });
    const after = r.receiveReturn(r.restock(s, 10, who, T0).change.state, 2, "res_x", who, T0).change.state;
    expect(after).toMatchObject({ onHand: 17, totals: { opening: 5, received: 10, returned: 2 } });
    expect(r.violations(after, 0)).toEqual([]);
  });

  it("settings must be non-negative integers", () => {
    expect(() => r.configure(opened(1), { lowStockThreshold: -1 }, who, T0)).toThrow(RangeError);
    expect(r.configure(opened(1), { reorderQuantity: 0 }, who, T0).state.settings.reorderQuantity).toBe(0);
  });
});

describe("signals", () => {
  it("are raised once when a level crosses a line, not while it stays beyond it", () => {
    const s = opened(10, { lowStockThreshold: 5, reorderPoint: 3, reorderQuantity: 20 });
    const a = hold(s, "a", 6).state; // available 4
    expect(r.signals(s, a).map((x) => x.type)).toEqual(["LowStockAlert"]);
    const b = hold(a, "b", 1).state; // 3
    expect(r.signals(a, b)).toEqual([{ type: "ReorderSuggested", available: 3, onHand: 10, reorderPoint: 3, suggestedQuantity: 20 }]);
    const c = hold(b, "c", 3).state; // 0
    expect(r.signals(b, c)).toEqual([{ type: "OutOfStock", onHand: 10, reserved: 10 }]);
    expect(r.signals(c, r.restock(c, 1, who, T0).change.state)).toEqual([]);
  });

  it("are all raised by one drop from plenty to nothing, and none by an opening balance", () => {
    const s = opened(10);
    expect(r.signals(s, hold(s, "a", 10).state).map((x) => x.type)).toEqual(["LowStockAlert", "OutOfStock", "ReorderSuggested"]);
    expect(r.signals(r.emptyState("X"), opened(0))).toEqual([]);
  });

  it("stock status follows available stock and the threshold", () => {
    expect(r.stockStatus(opened(0))).toBe("out_of_stock");
    expect(r.stockStatus(opened(4))).toBe("low_stock");
    expect(r.stockStatus(opened(5))).toBe("in_stock");
  });
});

describe("violations", () => {
  it("names each broken invariant", () => {
    const s = opened(10);
    expect(r.violations(s, 0)).toEqual([]);
    expect(r.violations({ ...s, reserved: 11 }, 11)).toEqual([expect.stringContaining("available -1")]);
    expect(r.violations(s, 3)).toEqual([expect.stringContaining("live holds 3")]);
    expect(r.violations({ ...s, onHand: 9 }, 0)).toEqual([expect.stringContaining("on hand 9")]);
  });
});
