/**
 * The Inventory object in workerd: idempotency of every operation, expiry by
 * its own alarm, the one alarm at the earliest due time, the outbox inside
 * the object (publish failures lose nothing), and invariants enforced on write.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withTestDb } from "../../test/helpers/db.ts";
import { clearFault, injectFault, processedBy } from "../../test/helpers/events.ts";
import { eventually } from "../../test/helpers/http.ts";
import type { Inventory } from "./inventory.ts";
import { StockStore } from "./store.ts";
import { buyer, fullLedger, openSku, ops, sleep, stock, storedHolds, uniqueSku } from "./testing.ts";

const reserve = (sku: string, reservationId: string, quantity: number, ttlMs = 60_000) =>
  stock(sku).reserve({ sku, reservationId, quantity, ttlMs, actor: buyer(1) });

describe("idempotency of every operation", () => {
  it("reserve, extend, commit and release answer a repeat with the first outcome", async () => {
    const { sku, stub } = await openSku(10);
    const first = await reserve(sku, "r1", 3);
    expect(first).toMatchObject({ ok: true, replayed: false, available: 7 });
    const again = await Promise.all([reserve(sku, "r1", 3), reserve(sku, "r1", 3)]);
    for (const a of again) expect(a).toMatchObject({ ok: true, replayed: true });
    expect(await reserve(sku, "r1", 4)).toMatchObject({ ok: false, code: "RESERVATION_MISMATCH" });
    expect((await stub.level(sku)).reserved).toBe(3);

    const later = Date.now() + 120_000;
    expect(await stub.extend({ sku, reservationId: "r1", expiresAt: later, actor: buyer(1) })).toMatchObject({ ok: true, replayed: false });
    expect(await stub.extend({ sku, reservationId: "r1", expiresAt: later, actor: buyer(1) })).toMatchObject({ ok: true, replayed: true });

    const sold = await Promise.all([
      stub.commit({ sku, reservationId: "r1", actor: ops }),
      stub.commit({ sku, reservationId: "r1", actor: ops }),
    ]);
    expect(sold.map((s) => s.ok && s.replayed).sort()).toEqual([false, true]);
    expect(await stub.release({ sku, reservationId: "r1", actor: ops })).toMatchObject({ ok: false, code: "HOLD_COMMITTED" });
    expect(await reserve(sku, "r1", 3)).toMatchObject({ ok: false, code: "HOLD_COMMITTED" });

    await reserve(sku, "r2", 2);
    expect(await stub.release({ sku, reservationId: "r2", actor: ops })).toMatchObject({ ok: true, replayed: false });
    expect(await stub.release({ sku, reservationId: "r2", actor: ops })).toMatchObject({ ok: true, replayed: true });
    expect(await stub.release({ sku, reservationId: "nope", actor: ops })).toEqual({ ok: false, code: "HOLD_NOT_FOUND" });

    const level = await stub.level(sku);
    expect(level).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
    expect((await fullLedger(sku)).map((m) => m.kind)).toEqual(["opening", "reservation", "sale", "reservation", "release"]);
  });

  it("applies a restock, adjustment, return or settings change once per operation id", async () => {
    const { sku, stub } = await openSku(5);
    const restocks = await Promise.all(
      Array.from({ length: 4 }, () => stub.restock({ sku, operationId: "op-restock", quantity: 10, actor: ops })),
    );
    expect(restocks.filter((r) => r.ok && !r.replayed)).toHaveLength(1);
    await stub.adjust({ sku, operationId: "op-adjust", delta: -2, reason: "count", actor: ops });
    await stub.adjust({ sku, operationId: "op-adjust", delta: -2, reason: "count", actor: ops });
    await stub.receiveReturn({ sku, operationId: "op-return", quantity: 1, actor: ops });
    await stub.receiveReturn({ sku, operationId: "op-return", quantity: 1, actor: ops });
    await stub.configure({ sku, operationId: "op-set", settings: { lowStockThreshold: 2 }, actor: ops });
    expect(await stub.configure({ sku, operationId: "op-set", settings: { lowStockThreshold: 2 }, actor: ops })).toMatchObject({
      ok: true,
      replayed: true,
    });
    expect(await stub.level(sku)).toMatchObject({ onHand: 14, lowStockThreshold: 2 });
    expect((await fullLedger(sku)).map((m) => [m.kind, m.onHandDelta])).toEqual([
      ["opening", 5],
      ["receipt", 10],
      ["adjustment", -2],
      ["return", 1],
      ["settings", 0],
    ]);
  });

  it("opens a SKU once; a second opening keeps the stock", async () => {
    const { sku, stub } = await openSku(3);
    expect(await stub.openBalance({ sku, operationId: "again", onHand: 99, actor: ops })).toMatchObject({
      ok: false,
      code: "ALREADY_INITIALISED",
    });
    expect((await stub.level(sku)).onHand).toBe(3);
  });

  it("refuses to adjust on hand below what holds promise", async () => {
    const { sku, stub } = await openSku(10);
    await reserve(sku, "r", 8);
    expect(await stub.adjust({ sku, operationId: "shrink", delta: -3, actor: ops })).toMatchObject({
      ok: false,
      code: "STOCK_BELOW_HELD",
      available: 2,
    });
    expect((await stub.level(sku)).onHand).toBe(10);
  });
});

describe("expiry through the object's alarm", () => {
  it("expires a hold by itself when its time is up, and records the expiry", async () => {
    const { sku, stub } = await openSku(5);
    await reserve(sku, "short", 2, 300);
    await reserve(sku, "long", 1, 60_000);
    // Nothing calls the object: its own alarm must expire the hold.
    await eventually(
      async () => ((await storedHolds(stub)).find((h) => h.reservation_id === "short")?.status === "expired" ? true : undefined),
      5000,
      "the alarm to expire the hold",
    );
    const holds = await storedHolds(stub);
    expect(holds.find((h) => h.reservation_id === "long")?.status).toBe("held");
    const expiry = (await fullLedger(sku)).find((m) => m.kind === "expiry")!;
    expect(expiry).toMatchObject({ reservationId: "short", reservedDelta: -2, actor: "system:expiry" });
    expect(Date.parse(expiry.at)).toBeGreaterThanOrEqual(holds.find((h) => h.reservation_id === "short")!.expires_at);
    expect(await stub.level(sku)).toMatchObject({ reserved: 1, available: 4 });
  });

  it("keeps one alarm at the earliest of the next expiry and the next flush", async () => {
    const { sku, stub } = await openSku(5);
    const alarm = () => runInDurableObject(stub, (_i: Inventory, state) => state.storage.getAlarm());
    await runDurableObjectAlarm(stub); // publish the opening events
    const a = await reserve(sku, "a", 1, 600_000);
    expect(await alarm()).toBeLessThanOrEqual(Date.now() + 1000); // the flush comes first
    await runDurableObjectAlarm(stub);
    expect(await alarm()).toBe(Date.parse(a.ok ? a.hold.expiresAt : ""));
    const b = await reserve(sku, "b", 1, 300_000);
    await runDurableObjectAlarm(stub);
    expect(await alarm()).toBe(Date.parse(b.ok ? b.hold.expiresAt : ""));
    await stub.release({ sku, reservationId: "b", actor: buyer(1) });
    await runDurableObjectAlarm(stub);
    expect(await alarm()).toBe(Date.parse(a.ok ? a.hold.expiresAt : ""));
  });

  it("treats a hold past its time as expired even before the alarm has run", async () => {
    const { sku, stub } = await openSku(2);
    await reserve(sku, "x", 2, 50);
    await sleep(60);
    expect(await stub.commit({ sku, reservationId: "x", actor: ops })).toMatchObject({ ok: false, code: "HOLD_EXPIRED" });
    expect((await stub.level(sku)).available).toBe(2);
  });
});

describe("the outbox inside the object", () => {
  it("writes events with the change and publishes them from the alarm; the projection follows", async () => {
    const { sku, stub } = await openSku(20);
    await Promise.all(Array.from({ length: 10 }, (_, i) => reserve(sku, `burst-${i}`, 1)));
    // Ten level changes while unpublished are one pending level event (the opening one merged too).
    expect(await stub.pendingEvents()).toBeLessThanOrEqual(1);
    await runDurableObjectAlarm(stub);
    // (On a slow machine the alarm may already be under way by itself; either way it empties the outbox.)
    await eventually(async () => ((await stub.pendingEvents()) === 0 ? true : undefined), 5000, "the flush");
    const level = await stub.level(sku);
    const row = await eventually(
      () =>
        withTestDb(
          async (db) =>
            (
              await db.execute<{ version: string; reserved: number }>(
                sql`select version, reserved from inventory.stock_levels where sku = ${sku} and version = ${level.version}`,
              )
            ).rows[0],
        ),
      15_000,
      "the projection to reach the object's version",
    );
    expect(row.reserved).toBe(10);
  });

  it("keeps events through a failing publish and sends them once it works", async () => {
    const { sku, stub } = await openSku(4, { lowStockThreshold: 3 });
    await runDurableObjectAlarm(stub);
    let pending: { id: string; type: string }[] = [];
    await injectFault("inventory:publish", sku, null);
    try {
      await reserve(sku, "all", 4); // level + low-stock + out-of-stock + reorder
      expect(await stub.pendingEvents()).toBe(4);
      await runDurableObjectAlarm(stub);
      expect(await stub.pendingEvents()).toBe(4);
      pending = await runInDurableObject(stub, (_i: Inventory, state) =>
        state.storage.sql.exec<{ id: string; type: string }>("SELECT id, json_extract(envelope, '$.type') AS type FROM outbox").toArray(),
      );
      const attempts = await runInDurableObject(stub, (_i: Inventory, state) =>
        state.storage.sql.exec<{ a: number; e: string }>("SELECT max(attempts) AS a, max(last_error) AS e FROM outbox").one(),
      );
      expect(attempts.a).toBe(1);
      expect(attempts.e).toContain("injected fault");
    } finally {
      await clearFault("inventory:publish", sku);
    }
    // The retry comes from the object's own alarm, after its backoff.
    await eventually(async () => ((await stub.pendingEvents()) === 0 ? true : undefined), 10_000, "the retried publish");
    for (const e of pending)
      await eventually(
        async () => ((await processedBy("pipeline", e.id)) ? true : undefined),
        15_000,
        `${e.type} to reach the pipeline consumer`,
      );
    expect(pending.map((e) => e.type).sort()).toEqual(["InventoryUpdated", "LowStockAlert", "OutOfStock", "ReorderSuggested"]);
  });
});

describe("group commit", () => {
  it("lets operations that share a write fail alone", async () => {
    const { sku, stub } = await openSku(100);
    const calls = Array.from({ length: 40 }, (_, i) =>
      stub.reserve({ sku, reservationId: `g${i}`, quantity: 1, ttlMs: i % 5 === 0 ? 48 * 3600_000 : 60_000, actor: buyer(i) }),
    );
    const results = await Promise.allSettled(calls);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(8);
    expect(results.filter((r) => r.status === "fulfilled" && r.value.ok)).toHaveLength(32);
    expect(await stub.level(sku)).toMatchObject({ reserved: 32, liveHolds: 32 });
    expect((await fullLedger(sku)).filter((m) => m.kind === "reservation")).toHaveLength(32);
  });
});

describe("invariants on write", () => {
  it("rolls back a change that would break one, leaving nothing written", async () => {
    const sku = uniqueSku();
    const stub = stock(sku);
    await stub.restock({ sku, operationId: "in", quantity: 5, actor: ops });
    const outcome = await runInDurableObject(stub, (_i: Inventory, state) => {
      const store = new StockStore(state.storage);
      const before = store.loadState()!;
      // A "reservation" that raises reserved without a hold behind it.
      const bad = {
        state: { ...before, reserved: 2, version: before.version + 1 },
        holds: [],
        forget: [],
        movements: [
          { kind: "reservation" as const, quantity: 2, onHandDelta: 0, reservedDelta: 2, reservationId: "ghost", actor: "x", reason: null },
        ],
      };
      try {
        store.apply(before, bad, { now: Date.now(), flushAt: Date.now(), events: [] });
        return "written";
      } catch (err) {
        return `${(err as Error).name}: ${(err as Error).message} / reserved now ${store.loadState()!.reserved}, ledger ${store.lastMovement()?.seq}`;
      }
    });
    expect(outcome).toMatch(/^InvariantViolation: .*live holds 0 \/ reserved now 0, ledger 1$/);
  });
});
