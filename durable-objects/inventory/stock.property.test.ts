/**
 * Random sequences of every operation against the pure stock and hold rules, with the
 * clock moving between them: after each step every invariant holds, and the
 * ledger movements add up to the level.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commit, expireDue, extend, pin, release, reserve } from "./holds.ts";
import * as r from "./stock.ts";

const who = { actor: "user:prop" };
const ids = ["a", "b", "c", "d", "e", "f"];

type Op =
  | { op: "reserve"; id: string; qty: number; ttl: number }
  | { op: "commit" | "release" | "pin" | "forget"; id: string }
  | { op: "extend"; id: string; ttl: number }
  | { op: "restock" | "return"; qty: number }
  | { op: "adjust"; delta: number }
  | { op: "wait"; ms: number }
  | { op: "settings"; threshold: number };

const id = fc.constantFrom(...ids);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("reserve" as const), id, qty: fc.integer({ min: 1, max: 8 }), ttl: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ op: fc.constantFrom("commit" as const, "release" as const, "pin" as const, "forget" as const), id }),
  fc.record({ op: fc.constant("extend" as const), id, ttl: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ op: fc.constantFrom("restock" as const, "return" as const), qty: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ op: fc.constant("adjust" as const), delta: fc.integer({ min: -6, max: 6 }).filter((d) => d !== 0) }),
  fc.record({ op: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ op: fc.constant("settings" as const), threshold: fc.integer({ min: 0, max: 10 }) }),
);

interface World {
  state: r.StockState;
  holds: Map<string, r.Hold>;
  ledger: r.Movement[];
  now: number;
  sold: number;
}

function applyChange(w: World, change: r.Change | null): void {
  if (!change) return;
  w.state = change.state;
  for (const h of change.holds) w.holds.set(h.reservationId, h);
  for (const f of change.forget) w.holds.delete(f);
  w.ledger.push(...change.movements);
}

function step(w: World, o: Op): void {
  // As the object does: expire what is due before every operation.
  applyChange(w, expireDue(w.state, [...w.holds.values()], w.now));
  switch (o.op) {
    case "reserve":
      applyChange(
        w,
        reserve(w.state, w.holds.get(o.id), { reservationId: o.id, quantity: o.qty, expiresAt: w.now + o.ttl, ...who }, w.now).change,
      );
      break;
    case "commit": {
      const res = commit(w.state, w.holds.get(o.id), who, w.now);
      if (res.outcome.kind === "ok" && !res.outcome.replayed) w.sold += res.outcome.hold.quantity;
      applyChange(w, res.change);
      break;
    }
    case "release":
    case "forget":
      applyChange(w, release(w.state, w.holds.get(o.id), { ...who, forget: o.op === "forget" }, w.now).change);
      break;
    case "pin":
    case "extend": {
      const res = o.op === "extend" ? extend(w.holds.get(o.id), w.now + o.ttl, w.now) : pin(w.holds.get(o.id), w.now);
      if (res.outcome.kind === "ok" && !res.outcome.replayed) w.holds.set(o.id, res.outcome.hold);
      break;
    }
    case "restock":
      applyChange(w, r.restock(w.state, o.qty, who, w.now).change);
      break;
    case "return":
      applyChange(w, r.receiveReturn(w.state, o.qty, null, who, w.now).change);
      break;
    case "adjust":
      applyChange(w, r.adjust(w.state, o.delta, who, w.now).change);
      break;
    case "settings":
      applyChange(w, r.configure(w.state, { lowStockThreshold: o.threshold }, who, w.now));
      break;
    case "wait":
      w.now += o.ms;
      break;
  }
}

const liveTotal = (w: World) =>
  [...w.holds.values()].filter((h) => h.status === "held" || h.status === "pinned").reduce((n, h) => n + h.quantity, 0);

describe("stock invariants under random operation sequences", () => {
  it("hold after every step, and the ledger adds up", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.array(opArb, { minLength: 1, maxLength: 80 }), (opening, ops) => {
        const w: World = { state: r.emptyState("P"), holds: new Map(), ledger: [], now: 1000, sold: 0 };
        applyChange(w, r.openBalance(w.state, opening, {}, who, w.now).change);
        let version = w.state.version;
        for (const o of ops) {
          step(w, o);
          expect(r.violations(w.state, liveTotal(w))).toEqual([]);
          expect(r.available(w.state)).toBeGreaterThanOrEqual(0);
          expect(w.ledger.reduce((n, m) => n + m.onHandDelta, 0)).toBe(w.state.onHand);
          expect(w.ledger.reduce((n, m) => n + m.reservedDelta, 0)).toBe(w.state.reserved);
          expect(w.state.totals.sold).toBe(w.sold);
          expect(w.state.version).toBeGreaterThanOrEqual(version);
          version = w.state.version;
          // The alarm at this moment leaves no held hold past its time.
          applyChange(w, expireDue(w.state, [...w.holds.values()], w.now));
          for (const h of w.holds.values()) if (h.status === "held") expect(h.expiresAt).toBeGreaterThan(w.now);
          expect(r.violations(w.state, liveTotal(w))).toEqual([]);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("never sells more than ever came in, however reservations and sales interleave", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.array(opArb, { maxLength: 60 }), (opening, ops) => {
        const w: World = { state: r.emptyState("P"), holds: new Map(), ledger: [], now: 0, sold: 0 };
        applyChange(w, r.openBalance(w.state, opening, {}, who, 0).change);
        for (const o of ops) step(w, o);
        const t = w.state.totals;
        expect(t.sold).toBeLessThanOrEqual(t.opening + t.received + t.returned + Math.max(0, t.adjusted));
        expect(t.sold + w.state.onHand).toBe(t.opening + t.received + t.returned + t.adjusted);
      }),
      { numRuns: 300 },
    );
  });
});
