/**
 * The seed's three sequences end to end over HTTP: checkout (cart, order,
 * confirm, through to delivery and OrderCompleted), payment-failure
 * rollback, and cancellation by the user (refund, stock back, shipment
 * halted), plus a cancel that comes too late.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { OrderView } from "../../workers/orders/index.ts";
import { api, eventually } from "../helpers/http.ts";
import { outboxEvents } from "../helpers/identity.ts";
import {
  cancel,
  confirm,
  eventsAbout,
  getOrder,
  json,
  netCharged,
  type Problem,
  placeOrder,
  quiesce,
  shipment,
  shopper,
  stocked,
  stockLevel,
} from "./fixtures.ts";

// Consumers still working on this file's events must not outlive it.
afterAll(() => quiesce(), 30_000);

const addToCart = async (token: string, sku: string, quantity: number) =>
  expect((await api("/api/cart/items", { method: "POST", token, json: { sku, quantity } })).status).toBe(200);
const moveShipment = async (shipmentId: string, status: string) =>
  expect((await api(`/api/delivery/shipments/${shipmentId}/status`, { method: "POST", json: { status } })).status).toBe(200);
const whenStatus = (token: string, orderId: string, status: string) =>
  eventually(
    async () => {
      const o = await json<OrderView>(await getOrder(token, orderId), 200);
      return o.status === status ? o : undefined;
    },
    20_000,
    `order ${status}`,
  );

describe("the checkout sequence", () => {
  it("cart -> order -> confirm -> OrderConfirmed; dispatched -> shipped; delivered -> OrderCompleted", async () => {
    const user = await shopper();
    const {
      skus: [a, b],
    } = await stocked([2500, 1000], 10);
    await addToCart(user.accessToken, a!, 2);
    await addToCart(user.accessToken, b!, 1);
    const created = await json<OrderView>(await placeOrder(user.accessToken, {}), 201);
    expect(created).toMatchObject({ status: "pending", totals: { subtotalMinor: 6000, shippingMinor: 0, totalMinor: 6000 } });

    const confirmed = await json<OrderView>(await confirm(user.accessToken, created.id, "pm_card_visa", `pay-${created.id}`), 200);
    expect(confirmed).toMatchObject({ status: "confirmed", payment: { capturedMinor: 6000 }, shipment: { status: "label_created" } });
    expect(await outboxEvents(created.id, "OrderCreated")).toHaveLength(1);
    expect((await outboxEvents<{ totalMinor: number; currency: string }>(created.id, "OrderConfirmed")).map((e) => e.payload)).toEqual([
      expect.objectContaining({ totalMinor: 6000, currency: "USD" }),
    ]);
    expect(await eventsAbout(created.id, "PaymentProcessed")).toBeGreaterThanOrEqual(1);
    expect(await eventsAbout(created.id, "ShipmentCreated")).toBe(1);
    expect(await stockLevel(a!)).toMatchObject({ onHand: 8, reserved: 0 });
    expect(await stockLevel(b!)).toMatchObject({ onHand: 9, reserved: 0 });
    expect((await json<{ lines: unknown[] }>(await api("/api/cart", { token: user.accessToken }), 200)).lines).toEqual([]);

    // Delivery reports progress as events; the fulfilment group moves the order.
    await moveShipment(confirmed.shipment!.id, "dispatched");
    await whenStatus(user.accessToken, created.id, "shipped");
    expect(await json<Problem>(await cancel(user.accessToken, created.id), 409)).toMatchObject({ code: "ORDER_ALREADY_SHIPPED" });
    await moveShipment(confirmed.shipment!.id, "delivered");
    const delivered = await whenStatus(user.accessToken, created.id, "delivered");
    expect(delivered.timeline.map((t) => t.status)).toEqual(["pending", "confirming", "confirmed", "shipped", "delivered"]);
    expect((await outboxEvents<{ totalMinor: number }>(created.id, "OrderCompleted")).map((e) => e.payload.totalMinor)).toEqual([6000]);
  });
});

describe("the payment-failure rollback sequence", () => {
  it("declined card -> PaymentFailed, stock released, OrderCancelled", async () => {
    const user = await shopper();
    const {
      skus: [a],
    } = await stocked([4000], 3);
    const created = await json<OrderView>(await placeOrder(user.accessToken, { lines: [{ sku: a, quantity: 3 }] }), 201);
    expect(await stockLevel(a!)).toMatchObject({ available: 0, reserved: 3 });
    const declined = await json<Problem>(await confirm(user.accessToken, created.id, "pm_card_declined"), 402);
    expect(declined).toMatchObject({ code: "PAYMENT_DECLINED", reason: "card_declined", orderId: created.id });
    expect(await stockLevel(a!)).toMatchObject({ available: 3, reserved: 0, onHand: 3 });
    expect(await eventsAbout(created.id, "PaymentFailed")).toBe(1);
    expect((await outboxEvents<{ reason: string; refundMinor: number }>(created.id, "OrderCancelled")).map((e) => e.payload)).toEqual([
      expect.objectContaining({ reason: "payment_failed", refundMinor: 0 }),
    ]);
    expect(await netCharged(created.id)).toBe(0);
    // Another customer can buy the released units at once.
    const other = await shopper();
    expect((await placeOrder(other.accessToken, { lines: [{ sku: a, quantity: 3 }] })).status).toBe(201);
  });
});

describe("the cancellation-by-user sequence", () => {
  it("confirmed order cancelled before dispatch -> refund, stock back, shipment halted, OrderCancelled", async () => {
    const user = await shopper();
    const {
      skus: [a],
    } = await stocked([1800], 5);
    const created = await json<OrderView>(await placeOrder(user.accessToken, { lines: [{ sku: a, quantity: 2 }] }), 201);
    // 3600 of goods and the 499 flat shipping fee (below the free-shipping threshold).
    expect(created.totals).toMatchObject({ subtotalMinor: 3600, shippingMinor: 499, totalMinor: 4099 });
    expect((await confirm(user.accessToken, created.id)).status).toBe(200);
    expect(await stockLevel(a!)).toMatchObject({ onHand: 3, reserved: 0 });

    const cancelled = await json<OrderView>(await cancel(user.accessToken, created.id), 200);
    expect(cancelled).toMatchObject({
      status: "cancelled",
      cancellation: { reason: "customer_request", refundMinor: 4099 },
      payment: { capturedMinor: 4099, refundedMinor: 4099 },
      shipment: { status: "cancelled" },
    });
    expect(cancelled.timeline.map((t) => t.status)).toEqual(["pending", "confirming", "confirmed", "cancelling", "cancelled"]);
    expect(await stockLevel(a!)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    expect((await shipment(created.id))?.status).toBe("cancelled");
    expect(await eventsAbout(created.id, "RefundIssued")).toBe(1);
    expect((await outboxEvents<{ refundMinor: number }>(created.id, "OrderCancelled")).map((e) => e.payload.refundMinor)).toEqual([4099]);
    // A repeat changes nothing.
    expect((await json<OrderView>(await cancel(user.accessToken, created.id), 200)).status).toBe("cancelled");
    expect(await eventsAbout(created.id, "RefundIssued")).toBe(1);
    expect(await netCharged(created.id)).toBe(0);
  });

  it("a cancel after the shipment left is refused with ORDER_ALREADY_SHIPPED and changes nothing", async () => {
    const user = await shopper();
    const {
      skus: [a],
    } = await stocked([1800], 5);
    const created = await json<OrderView>(await placeOrder(user.accessToken, { lines: [{ sku: a, quantity: 1 }] }), 201);
    const confirmed = await json<OrderView>(await confirm(user.accessToken, created.id), 200);
    // Dispatched at the carrier, before the order has heard of it: the stop is refused all the same.
    await moveShipment(confirmed.shipment!.id, "dispatched");
    expect(await json<Problem>(await cancel(user.accessToken, created.id), 409)).toMatchObject({ code: "ORDER_ALREADY_SHIPPED" });
    const after = await json<OrderView>(await getOrder(user.accessToken, created.id), 200);
    expect(["confirmed", "shipped"]).toContain(after.status);
    expect(await netCharged(created.id)).toBe(created.totals.totalMinor);
    expect(await stockLevel(a!)).toMatchObject({ onHand: 4 });
    await whenStatus(user.accessToken, created.id, "shipped");
  });
});
