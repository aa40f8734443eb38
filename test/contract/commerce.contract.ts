/**
 * Shopping across families on every runtime, over HTTP only: stock held by
 * the inventory objects, the cart object, the order saga's object, payment,
 * delivery and a return. On Cloudflare the objects are Durable Objects; on
 * Deno they are the same classes on Deno KV. The race for the last units is
 * the no-oversell proof on both.
 */
import { describe, expect, it } from "vitest";
import { api, eventually, json, runtime, signUp, uid } from "./client.ts";

/** Oregon: no sales tax, so the amounts are the prices. */
const ADDRESS = { name: "Ada Lovelace", line1: "1 SW Main St", city: "Portland", region: "or", postalCode: "97204", country: "us" };

interface OrderView {
  id: string;
  status: string;
  totals: { subtotalMinor: number };
}

async function stockedSku(units: number, priceMinor = 1250): Promise<string> {
  const sku = `CM-${uid().toUpperCase()}`;
  await json(
    await api("/api/products", {
      method: "POST",
      json: {
        name: `Contract mug ${sku}`,
        slug: `contract-mug-${sku.toLowerCase()}`,
        categoryId: null,
        brandId: null,
        status: "active",
        tags: [],
        variants: [{ sku, priceMinor, compareAtMinor: null, currency: "USD", options: {} }],
      },
    }),
    201,
  );
  await json(await api(`/api/inventory/${sku}/restock`, { method: "POST", json: { quantity: units } }), 200);
  return sku;
}

const level = async (sku: string) => json<{ onHand: number; reserved: number; available: number }>(await api(`/api/inventory/${sku}`), 200);

async function orderStatus(token: string, id: string, wanted: string): Promise<OrderView> {
  return eventually(async () => {
    const order = await json<OrderView>(await api(`/api/orders/${id}`, { token }), 200);
    return order.status === wanted ? order : undefined;
  }, `order ${id} to be ${wanted}`);
}

describe(`commerce contract (${runtime})`, () => {
  it("carries a shopper from the cart through payment, delivery and a return, moving stock once each way", async () => {
    const sku = await stockedSku(5);
    const shopper = await signUp();
    const token = shopper.accessToken;

    const cart = await json<{ lines: { sku: string; quantity: number }[] }>(
      await api("/api/cart/items", { method: "POST", token, json: { sku, quantity: 2 } }),
      200,
    );
    expect(cart.lines).toEqual([expect.objectContaining({ sku, quantity: 2 })]);

    const order = await json<OrderView>(
      await api("/api/orders", { method: "POST", token, json: { lines: [{ sku, quantity: 2 }], shippingAddress: ADDRESS } }),
      201,
    );
    expect(order.totals.subtotalMinor).toBe(2500);
    expect((await level(sku)).reserved).toBe(2);
    // Another customer cannot see it.
    const stranger = await signUp();
    expect((await api(`/api/orders/${order.id}`, { token: stranger.accessToken })).status).toBe(404);

    const confirmed = await api(`/api/orders/${order.id}/confirm?paymentMethodId=pm_card_visa`, { method: "PUT", token });
    expect([200, 202]).toContain(confirmed.status);
    await orderStatus(token, order.id, "confirmed");
    await eventually(async () => {
      const l = await level(sku);
      return l.onHand === 3 && l.reserved === 0 ? l : undefined;
    }, "the two units to leave stock");

    const shipment = await eventually(async () => {
      const page = await json<{ items: { id: string }[] }>(await api(`/api/delivery/shipments?orderId=${order.id}`), 200);
      return page.items[0];
    }, "the shipment to be created");
    for (const status of ["dispatched", "delivered"])
      await json(await api(`/api/delivery/shipments/${shipment.id}/status`, { method: "POST", json: { status } }), 200);
    await orderStatus(token, order.id, "delivered");

    const opened = await json<{ id: string }>(
      await api("/api/delivery/returns", {
        method: "POST",
        token,
        json: { orderId: order.id, reason: "damaged", lines: [{ sku, quantity: 1 }] },
      }),
      201,
    );
    await json(await api(`/api/delivery/returns/${opened.id}/receive`, { method: "POST" }), 200);
    await json(await api(`/api/delivery/returns/${opened.id}/inspect`, { method: "POST", json: {} }), 200);
    const refunded = await eventually(async () => {
      const r = await json<{ status: string; refundMinor: number }>(await api(`/api/delivery/returns/${opened.id}`, { token }), 200);
      return r.status === "refunded" ? r : undefined;
    }, "the return to be refunded");
    expect(refunded.refundMinor).toBe(1250);
    expect((await level(sku)).onHand).toBe(4);
  });

  it("sells exactly the stock to shoppers racing for the last units, never more", async () => {
    const sku = await stockedSku(3);
    const shoppers = await Promise.all(Array.from({ length: 8 }, () => signUp()));
    const answers = await Promise.all(
      shoppers.map((s) =>
        api("/api/orders", { method: "POST", token: s.accessToken, json: { lines: [{ sku, quantity: 1 }], shippingAddress: ADDRESS } }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 409)).toBe(true);
    const refusal = (await answers.find((a) => a.status === 409)?.json()) as { code: string };
    expect(refusal.code).toBe("INSUFFICIENT_STOCK");
    expect(await level(sku)).toMatchObject({ onHand: 3, reserved: 3, available: 0 });
  });
});
