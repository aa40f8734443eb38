/**
 * The race that must be proven: many buyers at once for little stock, over
 * several rounds with sales, releases, expiries and a receipt in between.
 * Whatever the interleaving, the object ends with exactly the stock sold or
 * held (never more than came in), and the ledger adds up movement by movement.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";
import type { Inventory } from "./inventory.ts";
import { StockStore } from "./store.ts";
import { buyer, fullLedger, openSku, ops, sleep } from "./testing.ts";

const BUYERS = 500;
const OPENING = 50;
const ROUNDS = 5;
const RESTOCK = 10;
/** Long enough to outlast the burst on a normal machine; the checks allow for holds that expire during it anyway. */
const SHORT_TTL_MS = 1500;

const holdsOf = (stub: DurableObjectStub<Inventory>) =>
  runInDurableObject(stub, (_i: Inventory, state) =>
    state.storage.sql
      .exec<{ reservation_id: string; status: string; quantity: number; expires_at: number }>(
        "SELECT reservation_id, status, quantity, expires_at FROM holds",
      )
      .toArray(),
  );

describe("the reservation race", () => {
  it(`never sells or holds more than there is: ${BUYERS} buyers for ${OPENING} units, ${ROUNDS} rounds`, async () => {
    const { sku, stub } = await openSku(OPENING, { lowStockThreshold: 5, reorderPoint: 3, reorderQuantity: 20 }, "RACE");
    const live = new Map<string, number>(); // holds we were granted and have not seen end
    let sold = 0;
    let received = 0;
    let expired = 0;
    let granted = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const before = await stub.level(sku);
      const attempts = Array.from({ length: BUYERS }, (_, i) => ({
        id: `r${round}-${i}`,
        quantity: 1 + ((i * 7 + round) % 3),
        ttlMs: i % 4 === 0 ? SHORT_TTL_MS : 120_000,
      }));
      const results = await Promise.all(
        attempts.map((a) => stub.reserve({ sku, reservationId: a.id, quantity: a.quantity, ttlMs: a.ttlMs, actor: buyer(a.id) })),
      );
      const after = await stub.level(sku);

      let heldNow = 0;
      const refusedQuantities: number[] = [];
      results.forEach((r, i) => {
        if (r.ok) {
          heldNow += attempts[i]!.quantity;
          live.set(attempts[i]!.id, attempts[i]!.quantity);
        } else {
          expect(r.code).toBe("INSUFFICIENT_STOCK");
          refusedQuantities.push(attempts[i]!.quantity);
        }
      });
      granted += results.filter((r) => r.ok).length;
      // Holds of this burst that ran out during it (a slow machine) gave their units back.
      const lapsed = (await holdsOf(stub)).filter((h) => h.status === "expired" && live.has(h.reservation_id));
      const lapsedQty = lapsed.reduce((n, h) => n + h.quantity, 0);
      for (const h of lapsed) {
        live.delete(h.reservation_id);
        expired++;
      }
      // Never more held than was available, and nothing that would still fit was turned away.
      expect(heldNow - lapsedQty).toBeLessThanOrEqual(before.available);
      expect(after.available).toBe(before.available - heldNow + lapsedQty);
      expect(after.reserved).toBe(before.reserved + heldNow - lapsedQty);
      if (lapsedQty === 0) for (const q of refusedQuantities) expect(q).toBeGreaterThan(after.available);
      expect(refusedQuantities.length).toBeGreaterThan(BUYERS / 2);

      // Between rounds: sell some holds, release others, race a sale against a release for a few.
      const ids = [...live.keys()].filter((id) => id.startsWith(`r${round}-`));
      const [toSell, toRelease, toRace] = [
        ids.filter((_, i) => i % 3 === 0),
        ids.filter((_, i) => i % 3 === 1),
        ids.filter((_, i) => i % 3 === 2).slice(0, 5),
      ];
      const sales = await Promise.all([...toSell, ...toSell].map((id) => stub.commit({ sku, reservationId: id, actor: ops })));
      const releases = await Promise.all(toRelease.map((id) => stub.release({ sku, reservationId: id, actor: buyer(id) })));
      const raced = await Promise.all(
        toRace.flatMap((id) => [
          stub.commit({ sku, reservationId: id, actor: ops }),
          stub.release({ sku, reservationId: id, actor: buyer(id) }),
        ]),
      );

      const settle = (id: string, result: Awaited<ReturnType<Inventory["commit"]>>, kind: "sale" | "release") => {
        if (result.ok && !result.replayed) {
          if (kind === "sale") sold += live.get(id)!;
          live.delete(id);
        } else if (!result.ok && result.code === "HOLD_EXPIRED" && live.has(id)) {
          expired++;
          live.delete(id);
        }
      };
      for (const [i, id] of [...toSell, ...toSell].entries()) settle(id, sales[i]!, "sale");
      for (const [i, id] of toRelease.entries()) settle(id, releases[i]!, "release");
      toRace.forEach((id, i) => {
        const [sale, rel] = [raced[2 * i]!, raced[2 * i + 1]!];
        // Exactly one of a racing sale and release wins.
        expect([sale.ok, rel.ok].filter(Boolean).length).toBeLessThanOrEqual(1);
        settle(id, sale, "sale");
        settle(id, rel, "release");
      });
      // Each sale happened once even though every sale was asked twice at once.
      for (const id of toSell)
        expect(sales.filter((s, i) => [...toSell, ...toSell][i] === id && s.ok && !s.replayed).length).toBeLessThanOrEqual(1);

      // Let the short holds run out; the object's alarm expires them.
      const lastShort = Math.max(
        0,
        ...(await holdsOf(stub)).filter((h) => h.status === "held" && h.expires_at < Date.now() + 60_000).map((h) => h.expires_at),
      );
      await sleep(Math.max(0, lastShort - Date.now()) + 20);
      await runDurableObjectAlarm(stub);
      for (const h of await holdsOf(stub)) {
        if (h.status === "expired" && live.has(h.reservation_id)) {
          live.delete(h.reservation_id);
          expired++;
        }
      }

      if (round < ROUNDS - 1) {
        await stub.restock({ sku, operationId: `receipt-${round}`, quantity: RESTOCK, actor: ops });
        received += RESTOCK;
      }
    }

    const level = await stub.level(sku);
    const stillHeld = [...live.values()].reduce((a, b) => a + b, 0);
    const cameIn = OPENING + received;
    expect(sold).toBeGreaterThan(0);
    expect(expired).toBeGreaterThan(0);
    // Exactly the stock sold or held, never more.
    expect(level.reserved).toBe(stillHeld);
    expect(level.onHand).toBe(cameIn - sold);
    expect(sold + level.reserved + level.available).toBe(cameIn);
    expect(level.available).toBeGreaterThanOrEqual(0);

    // The ledger adds up, movement by movement.
    const ledger = await fullLedger(sku);
    const total = (kind: string) => ledger.filter((m) => m.kind === kind).reduce((n, m) => n + m.quantity, 0);
    expect(ledger.reduce((n, m) => n + m.onHandDelta, 0)).toBe(level.onHand);
    expect(ledger.reduce((n, m) => n + m.reservedDelta, 0)).toBe(level.reserved);
    expect(total("sale")).toBe(sold);
    expect(total("opening") + total("receipt")).toBe(cameIn);
    expect(ledger.filter((m) => m.kind === "reservation")).toHaveLength(granted);
    expect(ledger.filter((m) => m.kind === "expiry")).toHaveLength(expired);
    let running = { onHand: 0, reserved: 0 };
    for (const m of ledger) {
      running = { onHand: running.onHand + m.onHandDelta, reserved: running.reserved + m.reservedDelta };
      expect([m.onHand, m.reserved]).toEqual([running.onHand, running.reserved]);
      expect(m.onHand - m.reserved).toBeGreaterThanOrEqual(0);
    }
    // Each granted hold ended at most once.
    const ends = new Map<string, number>();
    for (const m of ledger)
      if (["sale", "release", "expiry"].includes(m.kind)) ends.set(m.reservationId!, (ends.get(m.reservationId!) ?? 0) + 1);
    expect([...ends.values()].every((n) => n === 1)).toBe(true);
    expect(ends.size + live.size).toBe(granted);

    // The database's own running sum agrees with a full recount.
    const audit = await runInDurableObject(stub, (_i: Inventory, state) => {
      const store = new StockStore(state.storage);
      return { kept: store.liveHolds(), counted: store.countLiveHolds() };
    });
    expect(audit.kept).toEqual(audit.counted);
    expect(audit.counted.total).toBe(stillHeld);
  });

  it("keeps racing multi-line reservations all or nothing: no line is ever held alone", async () => {
    const [a, b] = [await openSku(30, {}, "RA"), await openSku(30, {}, "RB")];
    const requests = Array.from({ length: 60 }, (_, i) => ({
      lines: [
        { sku: a.sku, quantity: 1 + (i % 2) },
        { sku: b.sku, quantity: 1 + ((i >> 1) % 2) },
      ],
    }));
    const responses = await Promise.all(requests.map((json) => api("/api/inventory/reserve", { method: "POST", json })));
    const bodies = await Promise.all(
      responses.map((r) => r.json() as Promise<{ reservationId?: string; code?: string; lines?: { sku: string; quantity: number }[] }>),
    );
    const held = bodies.filter((_, i) => responses[i]!.status === 201);
    expect(responses.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBeLessThan(60);
    for (const [sku, stub] of [
      [a.sku, a.stub],
      [b.sku, b.stub],
    ] as const) {
      const level = await stub.level(sku);
      const expected = held.reduce((n, r) => n + r.lines!.find((l) => l.sku === sku)!.quantity, 0);
      expect(level.reserved).toBe(expected);
      const holds = await runInDurableObject(stub, (_i: Inventory, state) =>
        state.storage.sql.exec<{ reservation_id: string }>("SELECT reservation_id FROM holds WHERE status = 'held'").toArray(),
      );
      expect(holds.map((h) => h.reservation_id).sort()).toEqual(held.map((r) => r.reservationId!).sort());
    }
  });
});
