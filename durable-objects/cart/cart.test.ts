/**
 * The Cart object in workerd, with real inventory objects: availability on
 * add, edits racing from two devices, idle expiry through the alarm with
 * CartAbandoned, and the outbox inside the object (a failed publish loses
 * nothing).
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testBindings, testEnv } from "../../test/helpers/db.ts";
import { clearFault, injectFault, processedBy } from "../../test/helpers/events.ts";
import { eventually } from "../../test/helpers/http.ts";
import type { Inventory } from "../../workers/inventory/index.ts";
import type { Cart, CartCaller } from "./cart.ts";
import type { CartState } from "./cart-rules.ts";

const ops = { type: "service" as const, id: "ops" };
const uid = () => crypto.randomUUID().slice(0, 12).toUpperCase();
const price = { unitPriceMinor: 1250, currency: "USD" };

const stockOf = (sku: string) => testEnv.objects.get<Inventory>("INVENTORY", sku);

async function skuWithStock(quantity: number): Promise<string> {
  const sku = `CART-${uid()}`;
  const stock = stockOf(sku);
  if (quantity > 0) await stock.restock({ sku, operationId: `in-${sku}`, quantity, actor: ops });
  return sku;
}

function newCart() {
  const userId = `usr_cart${uid()}`;
  const id = testBindings.CART.idFromName(`user:${userId}`);
  const caller: CartCaller = { userId, actor: { type: "user", id: userId }, correlationId: `test-${uid()}` };
  return { stub: testBindings.CART.get(id), caller, key: id.toString() };
}

type Envelope = { id: string; type: string; payload: Record<string, unknown> };
const outbox = (stub: DurableObjectStub<Cart>) =>
  runInDurableObject(stub, (_i: Cart, state) =>
    state.storage.sql
      .exec<{ envelope: string }>("SELECT envelope FROM outbox ORDER BY seq")
      .toArray()
      .map((r) => JSON.parse(r.envelope) as Envelope),
  );

/** Moves the cart's last activity into the past, as if nobody had touched it since. */
const idleFor = (stub: DurableObjectStub<Cart>, ms: number) =>
  runInDurableObject(stub, (instance: Cart, state) => {
    const cart = instance as unknown as { state: CartState };
    cart.state = { ...cart.state, lastActivityAt: cart.state.lastActivityAt - ms };
    state.storage.sql.exec("UPDATE cart SET state = ? WHERE id = 1", JSON.stringify(cart.state));
  });

const TTL_MS = 7 * 24 * 3600_000;

/** Waits until the object's own alarm has published everything (it fires by itself right after a change). */
const settled = (stub: DurableObjectStub<Cart>) =>
  eventually(async () => ((await stub.pendingEvents()) === 0 ? true : undefined), 10_000, "the outbox to empty");

describe("adding against availability", () => {
  it("refuses what is out of stock with the available quantity, and a SKU that never had stock", async () => {
    const sku = await skuWithStock(3);
    const { stub, caller } = newCart();
    expect(await stub.add({ sku, quantity: 2, price, caller })).toMatchObject({ ok: true, cart: { lines: [{ sku, quantity: 2 }] } });
    expect(await stub.add({ sku, quantity: 2, price, caller })).toEqual({
      ok: false,
      code: "INSUFFICIENT_STOCK",
      sku,
      requested: 4,
      available: 3,
    });
    expect(await stub.add({ sku: await skuWithStock(0), quantity: 1, price, caller })).toMatchObject({
      ok: false,
      code: "INSUFFICIENT_STOCK",
      available: 0,
    });
    // The cart holds no stock: the SKU still has all three units available.
    const level = await stockOf(sku).level(sku);
    expect(level).toMatchObject({ available: 3, reserved: 0 });
    expect((await stub.snapshot()).lines).toHaveLength(1);
  });
});

describe("concurrent edits", () => {
  it("serializes adds racing from two devices: no lost update, the limit holds, every change is one event", async () => {
    const sku = await skuWithStock(100);
    const { stub, caller, key } = newCart();
    await injectFault("cart:publish", key, null); // keep every event in the outbox to count them
    // Fifteen single-unit adds at once against a per-line limit of 10 (vitest.config.ts).
    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        stub.add({ sku, quantity: 1, price, caller: { ...caller, correlationId: `device-${i % 2}-${i}` } }),
      ),
    );
    const ok = results.flatMap((r) => (r.ok ? [r] : []));
    expect(ok).toHaveLength(10);
    expect(results.filter((r) => !r.ok && r.code === "CART_QUANTITY_LIMIT")).toHaveLength(5);
    // Each success saw the one before it: the line quantities they returned are 1..10, each once.
    expect(ok.map((r) => r.cart.lines[0]!.quantity).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const snap = await stub.snapshot();
    expect(snap).toMatchObject({ version: 10, lines: [{ sku, quantity: 10 }] });
    const events = await outbox(stub);
    await clearFault("cart:publish", key);
    expect(events.map((e) => [e.type, e.payload.quantity, e.payload.lineQuantity])).toEqual(
      Array.from({ length: 10 }, (_, i) => ["ItemAddedToCart", 1, i + 1]),
    );
  });

  it("keeps adds, updates and removals racing on several SKUs consistent with the events they wrote", async () => {
    const skus = await Promise.all([skuWithStock(50), skuWithStock(50)]);
    const { stub, caller, key } = newCart();
    await injectFault("cart:publish", key, null); // keep every event in the outbox to count them
    try {
      const ops = Array.from({ length: 24 }, (_, i) => {
        const sku = skus[i % 2]!;
        if (i % 4 === 3) return stub.update({ sku, quantity: 2, price, caller });
        if (i % 6 === 5) return stub.remove({ sku, caller });
        return stub.add({ sku, quantity: 1, price, caller });
      });
      await Promise.all(ops);
      const snap = await stub.snapshot();
      const events = await outbox(stub);
      for (const sku of skus) {
        const net = events
          .filter((e) => e.payload.sku === sku)
          .reduce((n, e) => n + (e.type === "ItemAddedToCart" ? 1 : -1) * (e.payload.quantity as number), 0);
        expect(snap.lines.find((l) => l.sku === sku)?.quantity ?? 0).toBe(net);
      }
      expect(snap.version).toBe(
        events.length - events.filter((e) => e.type === "ItemRemovedFromCart" && e.payload.reason === "cleared").length,
      );
    } finally {
      await clearFault("cart:publish", key);
    }
  });
});

describe("idle expiry through the alarm", () => {
  it("sets the alarm at the idle expiry once the events are out", async () => {
    const { stub, caller } = newCart();
    await stub.add({ sku: await skuWithStock(5), quantity: 1, price, caller });
    await settled(stub);
    const snap = await stub.snapshot();
    const alarm = await runInDurableObject(stub, (_i: Cart, state) => state.storage.getAlarm());
    expect(alarm).toBe(Date.parse(snap.expiresAt!));
    expect(Date.parse(snap.expiresAt!) - Date.parse(snap.lastActivityAt!)).toBe(TTL_MS);
  });

  it("expires an idle cart, publishes CartAbandoned with its lines (kept through a failed publish), and starts afresh", async () => {
    const sku = await skuWithStock(5);
    const { stub, caller, key } = newCart();
    await stub.add({ sku, quantity: 2, price, caller });
    const cartId = (await stub.snapshot()).cartId!;
    await settled(stub);
    await idleFor(stub, TTL_MS + 1000);
    await injectFault("cart:publish", key, null);
    let abandoned: Envelope | undefined;
    try {
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      abandoned = (await outbox(stub)).find((e) => e.type === "CartAbandoned");
      expect(abandoned?.payload).toMatchObject({
        cartId,
        userId: caller.userId,
        lines: [{ sku, quantity: 2, unitPriceMinor: 1250, currency: "USD" }],
        itemCount: 2,
      });
      expect(abandoned!.payload.idleSeconds as number).toBeGreaterThanOrEqual(TTL_MS / 1000);
      expect(await stub.snapshot()).toMatchObject({ cartId: null, lines: [] });
    } finally {
      await clearFault("cart:publish", key);
    }
    // The retry comes from the object's own alarm, after its backoff.
    await eventually(async () => ((await stub.pendingEvents()) === 0 ? true : undefined), 10_000, "the retried publish");
    await eventually(
      async () => ((await processedBy("pipeline", abandoned!.id)) ? true : undefined),
      15_000,
      "CartAbandoned to reach the pipeline consumer",
    );
    // A new add starts a new cart.
    const again = await stub.add({ sku, quantity: 1, price, caller });
    expect(again.ok && again.cart.cartId).not.toBe(cartId);
  });

  it("treats a cart past its idle time as expired even before the alarm has run", async () => {
    const { stub, caller, key } = newCart();
    await stub.add({ sku: await skuWithStock(5), quantity: 1, price, caller });
    await settled(stub);
    await injectFault("cart:publish", key, null);
    try {
      await idleFor(stub, TTL_MS);
      expect(await stub.snapshot()).toMatchObject({ cartId: null, lines: [] });
      expect((await outbox(stub)).map((e) => e.type)).toEqual(["CartAbandoned"]);
    } finally {
      await clearFault("cart:publish", key);
    }
  });

  it("does not announce an empty cart as abandoned", async () => {
    const sku = await skuWithStock(5);
    const { stub, caller } = newCart();
    await stub.add({ sku, quantity: 1, price, caller });
    await stub.remove({ sku, caller });
    await settled(stub);
    await idleFor(stub, TTL_MS);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await outbox(stub)).toEqual([]);
    expect((await stub.snapshot()).cartId).toBeNull();
  });
});

describe("events", () => {
  it("publishes ItemAddedToCart and ItemRemovedFromCart with no personal data", async () => {
    const sku = await skuWithStock(5);
    const { stub, caller, key } = newCart();
    await injectFault("cart:publish", key, null);
    let events: Envelope[] = [];
    try {
      await stub.add({ sku, quantity: 2, price, caller });
      await stub.update({ sku, quantity: 1, price, caller });
      await stub.clear({ caller });
      events = await outbox(stub);
    } finally {
      await clearFault("cart:publish", key);
    }
    const cartId = events[0]!.payload.cartId;
    expect(events.map((e) => [e.type, e.payload])).toEqual([
      ["ItemAddedToCart", { cartId, sku, quantity: 2, lineQuantity: 2, unitPriceMinor: 1250, currency: "USD", via: "add" }],
      ["ItemRemovedFromCart", { cartId, sku, quantity: 1, lineQuantity: 1, reason: "reduced" }],
      ["ItemRemovedFromCart", { cartId, sku, quantity: 1, lineQuantity: 0, reason: "cleared" }],
    ]);
    await settled(stub);
    for (const e of events)
      await eventually(
        async () => ((await processedBy("pipeline", e.id)) ? true : undefined),
        15_000,
        `${e.type} to reach the pipeline consumer`,
      );
  });
});
