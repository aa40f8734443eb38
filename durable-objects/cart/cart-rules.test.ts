/** The cart's rules on their own: limits, availability, price flags, merging, idle expiry, totals. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addItem,
  type CartState,
  cartTotals,
  clearCart,
  emptyCart,
  idleExpiry,
  isIdle,
  mergeLines,
  type Outcome,
  priceChanged,
  removeItem,
  removeLines,
  setQuantity,
} from "./cart-rules.ts";

const limits = { maxLines: 3, maxQuantityPerLine: 5 };
const usd = (unitPriceMinor: number) => ({ unitPriceMinor, currency: "USD" });
const ok = (o: Outcome): CartState => {
  if (!o.ok) throw new Error(`refused: ${o.code}`);
  return o.state;
};
const cart = () => emptyCart("crt_1", null, 1000);

describe("adding", () => {
  it("adds a line, then more of it, re-confirming the price; effects name the units added", () => {
    const a = addItem(cart(), { sku: "A", quantity: 2, price: usd(500), available: 10 }, limits, 2000);
    expect(a).toMatchObject({ ok: true, effects: [{ kind: "added", sku: "A", quantity: 2, lineQuantity: 2, via: "add" }] });
    const b = addItem(ok(a), { sku: "A", quantity: 1, price: usd(450), available: 10 }, limits, 3000);
    const s = ok(b);
    expect(s.lines).toEqual([{ sku: "A", quantity: 3, addedUnitPriceMinor: 450, currency: "USD", addedAt: 2000, updatedAt: 3000 }]);
    expect(s).toMatchObject({ version: 2, lastActivityAt: 3000 });
  });

  it("refuses beyond what is available, naming the available quantity", () => {
    const s = ok(addItem(cart(), { sku: "A", quantity: 2, price: usd(1), available: 3 }, limits, 1));
    expect(addItem(s, { sku: "A", quantity: 2, price: usd(1), available: 3 }, limits, 2)).toEqual({
      ok: false,
      code: "INSUFFICIENT_STOCK",
      sku: "A",
      requested: 4,
      available: 3,
    });
    expect(addItem(cart(), { sku: "B", quantity: 1, price: usd(1), available: 0 }, limits, 2)).toMatchObject({
      code: "INSUFFICIENT_STOCK",
      available: 0,
    });
  });

  it("enforces the per-line quantity and the number of lines", () => {
    expect(addItem(cart(), { sku: "A", quantity: 6, price: usd(1), available: 100 }, limits, 1)).toMatchObject({
      code: "CART_QUANTITY_LIMIT",
      maxQuantity: 5,
    });
    let s = cart();
    for (const sku of ["A", "B", "C"]) s = ok(addItem(s, { sku, quantity: 1, price: usd(1), available: 9 }, limits, 1));
    expect(addItem(s, { sku: "D", quantity: 1, price: usd(1), available: 9 }, limits, 1)).toEqual({
      ok: false,
      code: "CART_LINE_LIMIT",
      maxLines: 3,
    });
    // More of an existing line is not a new line.
    expect(addItem(s, { sku: "A", quantity: 1, price: usd(1), available: 9 }, limits, 1).ok).toBe(true);
  });
});

describe("updating, removing, clearing", () => {
  const two = () => ok(addItem(cart(), { sku: "A", quantity: 4, price: usd(100), available: 10 }, limits, 1));

  it("raises a quantity only within availability, lowers it always", () => {
    expect(setQuantity(two(), { sku: "A", quantity: 5, price: usd(100), available: 4 }, limits, 2)).toMatchObject({
      code: "INSUFFICIENT_STOCK",
      requested: 5,
      available: 4,
    });
    const lower = setQuantity(two(), { sku: "A", quantity: 1, price: usd(100), available: 0 }, limits, 2);
    expect(lower).toMatchObject({ ok: true, effects: [{ kind: "removed", quantity: 3, lineQuantity: 1, reason: "reduced" }] });
    expect(setQuantity(two(), { sku: "A", quantity: 5, price: usd(100), available: 9 }, limits, 2)).toMatchObject({
      ok: true,
      effects: [{ kind: "added", quantity: 1, lineQuantity: 5, via: "update" }],
    });
    expect(setQuantity(two(), { sku: "A", quantity: 6, price: usd(100), available: 9 }, limits, 2)).toMatchObject({
      code: "CART_QUANTITY_LIMIT",
    });
    expect(setQuantity(two(), { sku: "A", quantity: 4, price: usd(100), available: 9 }, limits, 2)).toMatchObject({
      ok: true,
      effects: [],
    });
  });

  it("treats quantity 0 as a removal and a missing line as not found", () => {
    expect(setQuantity(two(), { sku: "A", quantity: 0, price: usd(1), available: 0 }, limits, 2)).toMatchObject({
      ok: true,
      state: { lines: [] },
      effects: [{ kind: "removed", quantity: 4, reason: "removed" }],
    });
    expect(setQuantity(two(), { sku: "Z", quantity: 1, price: usd(1), available: 9 }, limits, 2)).toEqual({
      ok: false,
      code: "LINE_NOT_FOUND",
      sku: "Z",
    });
    expect(removeItem(two(), "Z", 2)).toEqual({ ok: false, code: "LINE_NOT_FOUND", sku: "Z" });
  });

  it("clears every line (one removal each); clearing an empty cart changes nothing", () => {
    const s = ok(addItem(two(), { sku: "B", quantity: 1, price: usd(1), available: 9 }, limits, 2));
    const cleared = clearCart(s, 3);
    expect(cleared.state.lines).toEqual([]);
    expect(cleared.effects.map((e) => [e.sku, e.quantity, e.kind === "removed" && e.reason])).toEqual([
      ["A", 4, "cleared"],
      ["B", 1, "cleared"],
    ]);
    const again = clearCart(cleared.state, 4);
    expect(again.state).toBe(cleared.state);
    expect(again.effects).toEqual([]);
  });

  it("removes the lines an order took in one change, skipping SKUs the cart does not have", () => {
    const s = ok(addItem(two(), { sku: "B", quantity: 2, price: usd(1), available: 9 }, limits, 2));
    const after = removeLines(s, ["B", "Z", "B"], 3);
    expect(after.state.lines.map((l) => [l.sku, l.quantity])).toEqual([["A", 4]]);
    expect(after.effects).toEqual([{ kind: "removed", sku: "B", quantity: 2, lineQuantity: 0, reason: "removed" }]);
    const none = removeLines(after.state, ["Z"], 4);
    expect(none.state).toBe(after.state);
    expect(none.effects).toEqual([]);
  });
});

describe("merging a guest cart", () => {
  const guest = () => {
    let s = emptyCart("crt_guest", null, 1);
    s = ok(addItem(s, { sku: "A", quantity: 4, price: usd(100), available: 99 }, limits, 1));
    s = ok(addItem(s, { sku: "B", quantity: 2, price: usd(200), available: 99 }, limits, 1));
    s = ok(addItem(s, { sku: "C", quantity: 1, price: usd(300), available: 99 }, limits, 1));
    return s.lines;
  };

  it("adds quantities up, capped by the line limit and by availability, and reports what it cut", () => {
    let user = emptyCart("crt_user", "usr_1", 1);
    user = ok(addItem(user, { sku: "A", quantity: 3, price: usd(90), available: 99 }, limits, 1));
    user = ok(addItem(user, { sku: "D", quantity: 1, price: usd(10), available: 99 }, limits, 1));
    const available = new Map([
      ["A", 99],
      ["B", 1],
      ["C", 5],
    ]);
    const m = mergeLines(user, "crt_guest", guest(), available, limits, 5);
    expect(m.state.lines.map((l) => [l.sku, l.quantity, l.addedUnitPriceMinor])).toEqual([
      ["A", 5, 90],
      ["D", 1, 10],
      ["B", 1, 200],
    ]);
    expect(m.adjustments).toEqual([
      { sku: "A", requested: 7, kept: 5, reason: "QUANTITY_LIMIT" },
      { sku: "B", requested: 2, kept: 1, reason: "INSUFFICIENT_STOCK" },
      { sku: "C", requested: 1, kept: 0, reason: "LINE_LIMIT" },
    ]);
    expect(m.effects.map((e) => [e.sku, e.quantity, e.kind === "added" && e.via])).toEqual([
      ["A", 2, "merge"],
      ["B", 1, "merge"],
    ]);
    // A repeat of the same source adds nothing.
    const again = mergeLines(m.state, "crt_guest", guest(), available, limits, 6);
    expect(again).toMatchObject({ replayed: true, effects: [] });
    expect(again.state).toBe(m.state);
  });

  it("never lowers a line the user already has, even when stock fell below it", () => {
    const user = ok(addItem(emptyCart("crt_u", "usr_1", 1), { sku: "A", quantity: 3, price: usd(1), available: 9 }, limits, 1));
    const m = mergeLines(user, "crt_g", guest().slice(0, 1), new Map([["A", 1]]), limits, 2);
    expect(m.state.lines[0]!.quantity).toBe(3);
    expect(m.adjustments).toEqual([{ sku: "A", requested: 7, kept: 3, reason: "INSUFFICIENT_STOCK" }]);
  });

  it("keeps every merged line within the limits, whatever the carts and stock (property)", () => {
    const line = fc.record({ sku: fc.constantFrom("A", "B", "C", "D", "E"), quantity: fc.integer({ min: 1, max: 5 }) });
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 6 }),
        fc.array(line, { maxLength: 6 }),
        fc.dictionary(fc.constantFrom("A", "B", "C", "D", "E"), fc.integer({ min: 0, max: 12 })),
        (mine, theirs, stock) => {
          const available = new Map(Object.entries(stock));
          const build = (id: string, lines: typeof mine) => {
            let s = emptyCart(id, null, 1);
            for (const l of lines) {
              const r = addItem(s, { ...l, price: usd(1), available: 99 }, limits, 1);
              if (r.ok) s = r.state;
            }
            return s;
          };
          const user = build("u", mine);
          const m = mergeLines(user, "g", build("g", theirs).lines, available, limits, 2);
          expect(m.state.lines.length).toBeLessThanOrEqual(limits.maxLines);
          for (const l of m.state.lines) {
            const had = user.lines.find((u) => u.sku === l.sku)?.quantity ?? 0;
            expect(l.quantity).toBeLessThanOrEqual(Math.max(had, limits.maxQuantityPerLine));
            expect(l.quantity).toBeGreaterThanOrEqual(had);
            if (l.quantity > had) expect(l.quantity).toBeLessThanOrEqual(available.get(l.sku) ?? 0);
          }
          const added = m.effects.reduce((n, e) => n + e.quantity, 0);
          expect(added).toBe(m.state.lines.reduce((n, l) => n + l.quantity, 0) - user.lines.reduce((n, l) => n + l.quantity, 0));
        },
      ),
    );
  });
});

describe("prices, expiry, totals", () => {
  it("flags a line whose current price or currency differs from the one it was added at", () => {
    const line = { addedUnitPriceMinor: 1000, currency: "USD" };
    expect(priceChanged(line, usd(1000))).toBe(false);
    expect(priceChanged(line, usd(900))).toBe(true);
    expect(priceChanged(line, { unitPriceMinor: 1000, currency: "EUR" })).toBe(true);
  });

  it("expires exactly at the last activity plus the idle time", () => {
    const s = ok(addItem(cart(), { sku: "A", quantity: 1, price: usd(1), available: 1 }, limits, 5000));
    expect(idleExpiry(s, 60_000)).toBe(65_000);
    expect(isIdle(s, 60_000, 64_999)).toBe(false);
    expect(isIdle(s, 60_000, 65_000)).toBe(true);
  });

  it("totals per currency", () => {
    expect(
      cartTotals([
        { quantity: 2, unitPriceMinor: 450, discountMinor: 50, currency: "USD" },
        { quantity: 1, unitPriceMinor: 1000, discountMinor: 0, currency: "EUR" },
        { quantity: 3, unitPriceMinor: 100, discountMinor: 0, currency: "USD" },
      ]),
    ).toEqual([
      { currency: "USD", itemCount: 5, subtotalMinor: 1200, discountMinor: 100 },
      { currency: "EUR", itemCount: 1, subtotalMinor: 1000, discountMinor: 0 },
    ]);
  });
});
