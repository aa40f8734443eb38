/**
 * /api/orders over HTTP, up to the checkout: placing an order from lines or
 * the cart (server prices, totals, the reservation, OrderCreated), refusals
 * that store nothing, idempotent creation under concurrent duplicates,
 * listing and reading own orders, BOLA, and cancelling a pending order.
 */
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import {
  ADDRESS,
  cancel,
  getOrder,
  json,
  order,
  type Problem,
  placeOrder,
  quiesce,
  shopper,
  stocked,
  stockLevel,
} from "../../test/checkout/fixtures.ts";
import { withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { outboxEvents, registerAndLogin } from "../../test/helpers/identity.ts";
import type { OrderSummary, OrderView } from "./view.ts";

// Consumers still working on this file's events must not outlive it.
afterAll(() => quiesce(), 30_000);

const orderCount = (userId: string) =>
  withTestDb(async (db) =>
    Number((await db.execute<{ n: string }>(sql`select count(*) as n from orders.orders where user_id = ${userId}`)).rows[0]!.n),
  );

describe("placing an order", () => {
  it("prices lines on the server, reserves them, and announces OrderCreated", async () => {
    const user = await shopper();
    const {
      skus: [a, b],
    } = await stocked([1500, 900], 10);
    const res = await placeOrder(user.accessToken, {
      lines: [
        { sku: a, quantity: 2 },
        { sku: b, quantity: 1 },
        { sku: a, quantity: 1 },
      ],
      notes: "leave at the door",
    });
    const o = await json<OrderView>(res, 201);
    expect(o).toMatchObject({
      status: "pending",
      userId: user.userId,
      currency: "USD",
      notes: "leave at the door",
      payment: null,
      shipment: null,
      cancellation: null,
    });
    expect(o.number).toMatch(/^EC-\d{4}-\d{6}$/);
    expect(o.lines.map((l) => [l.sku, l.quantity, l.unitPriceMinor, l.lineTotalMinor])).toEqual([
      [a, 3, 1500, 4500],
      [b, 1, 900, 900],
    ]);
    // 5400 is above the 5000 free-shipping threshold of USD.
    expect(o.totals).toEqual({
      currency: "USD",
      itemCount: 4,
      subtotalMinor: 5400,
      discountMinor: 0,
      shippingMinor: 0,
      taxMinor: 0,
      totalMinor: 5400,
    });
    expect(o.shippingAddress).toMatchObject({ country: "US", region: "OR", postalCode: "97204" });
    expect(o.timeline.map((t) => t.status)).toEqual(["pending"]);
    expect(o.steps).toEqual([expect.objectContaining({ step: "reserved", state: "done" })]);
    expect((await stockLevel(a!)).reserved).toBe(3);
    expect((await stockLevel(b!)).reserved).toBe(1);
    const [created] = await outboxEvents<{ totalMinor: number; lines: unknown[]; shippingCountry: string; orderNumber: string }>(
      o.id,
      "OrderCreated",
    );
    expect(created?.payload).toMatchObject({ totalMinor: 5400, shippingCountry: "US", orderNumber: o.number });
    expect(created?.payload.lines).toHaveLength(2);
    expect((await json<OrderView>(await getOrder(user.accessToken, o.id), 200)).id).toBe(o.id);
  });

  it("charges the flat shipping fee below the threshold", async () => {
    const user = await shopper();
    const {
      skus: [a],
    } = await stocked([1200]);
    const o = await order(user.accessToken, [{ sku: a!, quantity: 1 }]);
    expect(o.totals).toMatchObject({ subtotalMinor: 1200, shippingMinor: 499, totalMinor: 1699 });
  });

  it("orders the caller's cart and takes the ordered lines out of it", async () => {
    const user = await shopper();
    const {
      skus: [a, b],
    } = await stocked([700, 300]);
    for (const [sku, quantity] of [
      [a, 2],
      [b, 1],
    ] as const)
      expect((await api("/api/cart/items", { method: "POST", token: user.accessToken, json: { sku, quantity } })).status).toBe(200);
    const o = await json<OrderView>(await placeOrder(user.accessToken, {}), 201);
    expect(o.lines.map((l) => [l.sku, l.quantity])).toEqual([
      [a, 2],
      [b, 1],
    ]);
    const cart = await json<{ lines: unknown[] }>(await api("/api/cart", { token: user.accessToken }), 200);
    expect(cart.lines).toEqual([]);
    expect((await json<Problem>(await placeOrder(user.accessToken, {}), 422)).code).toBe("CART_EMPTY");
  });

  it("refuses what it cannot sell or ship, and stores nothing", async () => {
    const user = await shopper();
    const {
      skus: [a],
    } = await stocked([500], 2);
    const {
      skus: [eur],
    } = await stocked([500], 2, "EUR");
    const refused = await json<Problem & { lines: { sku: string; available: number }[] }>(
      await placeOrder(user.accessToken, { lines: [{ sku: a, quantity: 3 }] }),
      409,
    );
    expect(refused).toMatchObject({ code: "INSUFFICIENT_STOCK", lines: [{ sku: a, available: 2 }] });
    expect(
      (await json<Problem>(await placeOrder(user.accessToken, { lines: [{ sku: "NO-SUCH-SKU-9", quantity: 1 }] }), 422)).detail,
    ).toContain("NO-SUCH-SKU-9");
    expect(
      (
        await json<Problem>(
          await placeOrder(user.accessToken, {
            lines: [
              { sku: a, quantity: 1 },
              { sku: eur, quantity: 1 },
            ],
          }),
          422,
        )
      ).code,
    ).toBe("MIXED_CURRENCIES");
    const badAddress = await json<Problem>(
      await placeOrder(user.accessToken, {
        lines: [{ sku: a, quantity: 1 }],
        shippingAddress: { ...ADDRESS, postalCode: "ABC", country: "US" },
      }),
      422,
    );
    expect(badAddress.errors).toEqual([expect.objectContaining({ field: "shippingAddress.postalCode" })]);
    const noCountry = await json<Problem>(
      await placeOrder(user.accessToken, { lines: [{ sku: a, quantity: 1 }], shippingAddress: { ...ADDRESS, country: "KP" } }),
      422,
    );
    expect(noCountry.errors?.[0]?.field).toBe("shippingAddress.country");
    expect((await placeOrder(user.accessToken, { lines: [{ sku: a, quantity: 1, unitPriceMinor: 1 }] })).status).toBe(422);
    expect(await orderCount(user.userId)).toBe(0);
    expect((await stockLevel(a!)).reserved).toBe(0);
    // Orders belong to shoppers: the operations token has no cart and no orders of its own.
    expect(
      (await api("/api/orders", { method: "POST", json: { shippingAddress: ADDRESS, lines: [{ sku: a, quantity: 1 }] } })).status,
    ).toBe(403);
    expect(
      (await api("/api/orders", { method: "POST", token: null, json: { shippingAddress: ADDRESS, lines: [{ sku: a, quantity: 1 }] } }))
        .status,
    ).toBe(401);
  });
});

describe("Idempotency-Key on create", () => {
  it("makes one order of five concurrent duplicates, all answered alike", async () => {
    const user = await shopper();
    const {
      skus: [a],
    } = await stocked([1000], 10);
    const key = `k-${crypto.randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => placeOrder(user.accessToken, { lines: [{ sku: a, quantity: 2 }] }, key)),
    );
    const bodies = await Promise.all(answers.map((r) => json<OrderView>(r, 201)));
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(await orderCount(user.userId)).toBe(1);
    expect((await stockLevel(a!)).reserved).toBe(2);
    expect(await outboxEvents(bodies[0]!.id, "OrderCreated")).toHaveLength(1);
  });

  it("replays the first answer to the same body later, and refuses another body with the key", async () => {
    const user = await shopper();
    const {
      skus: [a],
    } = await stocked([1000], 10);
    const key = `k-${crypto.randomUUID()}`;
    const first = await json<OrderView>(await placeOrder(user.accessToken, { lines: [{ sku: a, quantity: 1 }] }, key), 201);
    // Key order in the body does not matter; the answer is the first one even after the order moved on.
    expect((await cancel(user.accessToken, first.id)).status).toBe(200);
    const again = await api("/api/orders", {
      method: "POST",
      token: user.accessToken,
      headers: { "idempotency-key": key },
      json: { lines: [{ quantity: 1, sku: a }], shippingAddress: ADDRESS },
    });
    expect(await json<OrderView>(again, 201)).toEqual(first);
    const other = await json<Problem>(await placeOrder(user.accessToken, { lines: [{ sku: a, quantity: 2 }] }, key), 422);
    expect(other.code).toBe("IDEMPOTENCY_KEY_REUSED");
    // Another user's identical key is another order.
    const someone = await shopper();
    const theirs = await json<OrderView>(await placeOrder(someone.accessToken, { lines: [{ sku: a, quantity: 1 }] }, key), 201);
    expect(theirs.id).not.toBe(first.id);
  });
});

describe("reading orders", () => {
  it("lists the caller's own orders newest first, paginated; staff list anyone's", async () => {
    const user = await shopper();
    const other = await shopper();
    const {
      skus: [a],
    } = await stocked([100], 50);
    const mine: string[] = [];
    for (let i = 0; i < 3; i++) mine.unshift((await order(user.accessToken, [{ sku: a!, quantity: 1 }])).id);
    await order(other.accessToken, [{ sku: a!, quantity: 1 }]);
    const page1 = await json<{ items: OrderSummary[]; nextCursor: string | null }>(
      await api("/api/orders?limit=2", { token: user.accessToken }),
      200,
    );
    expect(page1.items.map((o) => o.id)).toEqual(mine.slice(0, 2));
    const page2 = await json<{ items: OrderSummary[]; nextCursor: string | null }>(
      await api(`/api/orders?limit=2&cursor=${page1.nextCursor}`, { token: user.accessToken }),
      200,
    );
    expect(page2).toMatchObject({ items: [expect.objectContaining({ id: mine[2], lineCount: 1, status: "pending" })], nextCursor: null });
    expect((await api(`/api/orders?userId=${other.userId}`, { token: user.accessToken })).status).toBe(403);
    const support = await registerAndLogin("support");
    const theirs = await json<{ items: OrderSummary[] }>(
      await api(`/api/orders?userId=${user.userId}`, { token: support.accessToken }),
      200,
    );
    expect(theirs.items.map((o) => o.id)).toEqual(mine);
    expect((await api("/api/orders?cursor=nonsense", { token: user.accessToken })).status).toBe(422);
  });

  it("hides other users' orders (404, not 403) from customers; support and admin see them", async () => {
    const owner = await shopper();
    const stranger = await shopper();
    const {
      skus: [a],
    } = await stocked([100]);
    const o = await order(owner.accessToken, [{ sku: a!, quantity: 1 }]);
    expect((await json<Problem>(await getOrder(stranger.accessToken, o.id), 404)).code).toBe("NOT_FOUND");
    expect((await getOrder(stranger.accessToken, "ord_00000000000000000000000000")).status).toBe(404);
    expect(
      (await api(`/api/orders/${o.id}/confirm?paymentMethodId=pm_card_visa`, { method: "PUT", token: stranger.accessToken })).status,
    ).toBe(404);
    expect((await cancel(stranger.accessToken, o.id)).status).toBe(404);
    expect((await getOrder(null as unknown as string, o.id)).status).toBe(401);
    const support = await registerAndLogin("support");
    expect((await json<OrderView>(await getOrder(support.accessToken, o.id), 200)).id).toBe(o.id);
    expect((await getOrder(undefined, o.id)).status).toBe(200); // the operations token is an admin
    // Staff may look, but paying is the customer's act.
    expect(
      (await api(`/api/orders/${o.id}/confirm?paymentMethodId=pm_card_visa`, { method: "PUT", token: support.accessToken })).status,
    ).toBe(404);
    expect((await getOrder(owner.accessToken, "not-an-id")).status).toBe(422);
  });
});

describe("cancelling a pending order", () => {
  it("releases the stock, announces OrderCancelled with nothing to refund, and answers repeats alike", async () => {
    const user = await shopper();
    const {
      skus: [a],
    } = await stocked([800], 5);
    const o = await order(user.accessToken, [{ sku: a!, quantity: 3 }]);
    expect((await stockLevel(a!)).available).toBe(2);
    const cancelled = await json<OrderView>(await cancel(user.accessToken, o.id), 200);
    expect(cancelled).toMatchObject({ status: "cancelled", cancellation: { reason: "customer_request", refundMinor: 0 } });
    expect(cancelled.timeline.map((t) => t.status)).toEqual(["pending", "cancelling", "cancelled"]);
    expect(cancelled.steps.find((s) => s.step === "released")).toMatchObject({ state: "done" });
    expect(await stockLevel(a!)).toMatchObject({ available: 5, reserved: 0, onHand: 5 });
    expect((await outboxEvents<{ reason: string; refundMinor: number }>(o.id, "OrderCancelled")).map((e) => e.payload)).toEqual([
      expect.objectContaining({ reason: "customer_request", refundMinor: 0 }),
    ]);
    expect((await json<OrderView>(await cancel(user.accessToken, o.id), 200)).status).toBe("cancelled");
    expect(await outboxEvents(o.id, "OrderCancelled")).toHaveLength(1);
    // A cancelled order cannot be confirmed: the state machine names both ends.
    expect(
      await json<Problem>(
        await api(`/api/orders/${o.id}/confirm?paymentMethodId=pm_card_visa`, { method: "PUT", token: user.accessToken }),
        409,
      ),
    ).toMatchObject({ code: "ORDER_STATE_CONFLICT", from: "cancelled", to: "confirming" });
    // Only staff give another reason.
    const next = await order(user.accessToken, [{ sku: a!, quantity: 1 }]);
    expect((await cancel(user.accessToken, next.id, { reason: "fraud_suspected" })).status).toBe(403);
    const admin = await registerAndLogin("admin");
    expect((await json<OrderView>(await cancel(admin.accessToken, next.id, { reason: "fraud_suspected" }), 200)).cancellation).toEqual({
      reason: "fraud_suspected",
      refundMinor: 0,
    });
  });
});
