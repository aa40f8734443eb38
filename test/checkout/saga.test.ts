/**
 * The checkout saga across orders, inventory, payments and delivery: the
 * happy path, each step failing in turn (ending compensated with the stock
 * back and the money returned), providers that answer later, idempotent
 * confirms under concurrent duplicates, and expired holds.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import type { OrderView } from "../../workers/orders/index.ts";
import { AFTER_PROVIDER } from "../../workers/payments/index.ts";
import { sandboxEventBody, sandboxIntents, sandboxRefundCount, sendWebhook } from "../../workers/payments/test-support.ts";
import { withTestDb } from "../helpers/db.ts";
import { injectFault } from "../helpers/events.ts";
import { api, eventually } from "../helpers/http.ts";
import { outboxEvents } from "../helpers/identity.ts";
import {
  confirm,
  eventsAbout,
  getOrder,
  json,
  netCharged,
  order,
  orderObject,
  type Problem,
  payments,
  quiesce,
  settle,
  shipment,
  shopper,
  statusOf,
  stocked,
  stockLevel,
} from "./fixtures.ts";

// Consumers still working on this file's events must not outlive it.
afterAll(() => quiesce(), 30_000);

/** A shopper with a pending order of `quantity` units of a fresh SKU stocked with `units`. */
async function pendingOrder(quantity = 2, units = 10, price = 3000) {
  const user = await shopper();
  const {
    skus: [sku],
  } = await stocked([price], units);
  const o = await order(user.accessToken, [{ sku: sku!, quantity }]);
  return { user, sku: sku!, o, units };
}

/** Stock and money are as before the order: nothing sold, nothing held, nothing charged. */
async function expectFullyCompensated(orderId: string, sku: string, units: number) {
  expect(await stockLevel(sku)).toMatchObject({ onHand: units, reserved: 0, available: units });
  expect(await netCharged(orderId)).toBe(0);
  const ship = await shipment(orderId);
  if (ship) expect(ship.status).toBe("cancelled");
  expect(await outboxEvents(orderId, "OrderConfirmed")).toHaveLength(0);
  expect(await outboxEvents(orderId, "OrderCancelled")).toHaveLength(1);
}

describe("confirming an order", () => {
  it("authorises, captures, commits the stock and creates the shipment, answering with the confirmed order", async () => {
    const { user, sku, o } = await pendingOrder(2, 10, 3000);
    const confirmed = await json<OrderView>(await confirm(user.accessToken, o.id), 200);
    expect(confirmed).toMatchObject({
      status: "confirmed",
      payment: { status: "captured", capturedMinor: 6000, refundedMinor: 0, methodId: "pm_card_visa" },
      shipment: { status: "label_created", carrier: "sandbox" },
    });
    expect(confirmed.timeline.map((t) => t.status)).toEqual(["pending", "confirming", "confirmed"]);
    expect(confirmed.steps.map((s) => [s.step, s.state])).toEqual(
      expect.arrayContaining([
        ["reserved", "done"],
        ["authorized", "done"],
        ["captured", "done"],
        ["committed", "done"],
        ["shipment_created", "done"],
      ]),
    );
    expect(await stockLevel(sku)).toMatchObject({ onHand: 8, reserved: 0, available: 8 });
    expect((await outboxEvents<{ totalMinor: number }>(o.id, "OrderConfirmed")).map((e) => e.payload.totalMinor)).toEqual([6000]);
    expect(await json<OrderView>(await getOrder(user.accessToken, o.id), 200)).toMatchObject({
      status: "confirmed",
      shipment: { id: confirmed.shipment!.id },
    });
  });

  it("gives five concurrent confirms with one key one checkout and one answer; another method with the key is a 422", async () => {
    const { user, o } = await pendingOrder(1);
    const key = `c-${crypto.randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => confirm(user.accessToken, o.id, "pm_card_visa", key)));
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(bodies).size).toBe(1);
    expect(await payments(o.id)).toEqual([expect.objectContaining({ status: "captured", capturedMinor: o.totals.totalMinor })]);
    expect(await outboxEvents(o.id, "OrderConfirmed")).toHaveLength(1);
    expect((await json<Problem>(await confirm(user.accessToken, o.id, "pm_card_declined", key), 422)).code).toBe("IDEMPOTENCY_KEY_REUSED");
    // Without the key it is a second checkout of a confirmed order: refused by the state machine.
    expect(await json<Problem>(await confirm(user.accessToken, o.id), 409)).toMatchObject({
      code: "ORDER_STATE_CONFLICT",
      from: "confirmed",
      to: "confirming",
    });
  });

  it("cancels an order whose stock hold lapsed before it was confirmed, charging nothing", async () => {
    const { user, sku, o, units } = await pendingOrder(3);
    // The hold ends (as at its expiry) before the customer pays.
    expect((await api(`/api/inventory/reservations/${o.reservationId}/release`, { method: "POST", json: {} })).status).toBeLessThan(300);
    expect(await json<Problem>(await confirm(user.accessToken, o.id), 409)).toMatchObject({ code: "ORDER_EXPIRED", orderId: o.id });
    expect(await json<OrderView>(await getOrder(user.accessToken, o.id), 200)).toMatchObject({
      status: "cancelled",
      cancellation: { reason: "expired", refundMinor: 0 },
      payment: null,
    });
    await expectFullyCompensated(o.id, sku, units);
  });
});

describe("each step failing in turn ends compensated, stock back and money returned", () => {
  it.each([
    ["pm_card_declined", "card_declined"],
    ["pm_card_insufficient_funds", "insufficient_funds"],
    ["pm_card_expired", "expired_card"],
  ])("authorisation refused (%s): 402, stock released, order cancelled", async (method, reason) => {
    const { user, sku, o, units } = await pendingOrder();
    const problem = await json<Problem>(await confirm(user.accessToken, o.id, method), 402);
    expect(problem).toMatchObject({ code: "PAYMENT_DECLINED", reason, orderId: o.id });
    const after = await json<OrderView>(await getOrder(user.accessToken, o.id), 200);
    expect(after).toMatchObject({
      status: "cancelled",
      cancellation: { reason: "payment_failed", refundMinor: 0 },
      payment: { status: "failed", failureReason: reason, capturedMinor: 0 },
    });
    expect(after.timeline.map((t) => t.status)).toEqual(["pending", "confirming", "cancelling", "cancelled"]);
    await expectFullyCompensated(o.id, sku, units);
  });

  it("authorisation never answering (pm_card_timeout): 202, retried, then voided and cancelled by itself", async () => {
    const { user, sku, o, units } = await pendingOrder();
    expect((await json<OrderView>(await confirm(user.accessToken, o.id, "pm_card_timeout"), 202)).status).toBe("confirming");
    expect(await settle(o.id)).toBe("cancelled");
    const after = await json<OrderView>(await getOrder(user.accessToken, o.id), 200);
    expect(after).toMatchObject({ cancellation: { reason: "payment_failed" }, payment: { status: "voided", capturedMinor: 0 } });
    expect(after.steps.find((s) => s.step === "authorized")!.attempts).toBe(4); // the first try and three retries
    await expectFullyCompensated(o.id, sku, units);
  });

  it("capture refused (pm_card_capture_fails): 402, nothing charged, stock released", async () => {
    const { user, sku, o, units } = await pendingOrder();
    expect(await json<Problem>(await confirm(user.accessToken, o.id, "pm_card_capture_fails"), 402)).toMatchObject({
      code: "PAYMENT_DECLINED",
      reason: "processing_error",
    });
    // Payments releases the card's hold itself when a capture is refused; the payment ends failed.
    const [payment] = await payments(o.id);
    expect(payment).toMatchObject({ status: "failed", capturedMinor: 0 });
    expect((await sandboxIntents(payment!.id))[0]!.status).toBe("canceled");
    await expectFullyCompensated(o.id, sku, units);
  });

  it("stock commit failing for good: retried, then refunded in full and released", async () => {
    const { user, sku, o, units } = await pendingOrder();
    await injectFault("saga.step.committed", o.id, null);
    expect((await json<OrderView>(await confirm(user.accessToken, o.id), 202)).status).toBe("confirming");
    expect(await settle(o.id)).toBe("cancelled");
    const after = await json<OrderView>(await getOrder(user.accessToken, o.id), 200);
    expect(after).toMatchObject({
      cancellation: { reason: "fulfilment_failed", refundMinor: o.totals.totalMinor },
      payment: { capturedMinor: o.totals.totalMinor, refundedMinor: o.totals.totalMinor },
    });
    expect(after.steps.map((s) => [s.step, s.state])).toEqual(
      expect.arrayContaining([
        ["refunded", "done"],
        ["released", "done"],
      ]),
    );
    await expectFullyCompensated(o.id, sku, units);
  });

  it("stock commit failing once: retried by the alarm, and the order is confirmed", async () => {
    const { user, sku, o } = await pendingOrder(1);
    await injectFault("saga.step.committed", o.id, 1);
    expect((await confirm(user.accessToken, o.id)).status).toBe(202);
    expect(await settle(o.id)).toBe("confirmed");
    expect(await stockLevel(sku)).toMatchObject({ onHand: 9, reserved: 0 });
    expect(await netCharged(o.id)).toBe(o.totals.totalMinor);
  });

  it("carrier unavailable for good: retried, then refunded and the sold units returned to stock", async () => {
    const { user, sku, o, units } = await pendingOrder(2);
    await injectFault("carrier.label", o.id, null);
    expect((await confirm(user.accessToken, o.id)).status).toBe(202);
    expect(await settle(o.id)).toBe("cancelled");
    const after = await json<OrderView>(await getOrder(user.accessToken, o.id), 200);
    expect(after).toMatchObject({ cancellation: { reason: "fulfilment_failed", refundMinor: o.totals.totalMinor }, shipment: null });
    expect(after.steps.map((s) => [s.step, s.state])).toEqual(
      expect.arrayContaining([
        ["committed", "done"],
        ["restocked", "done"],
        ["refunded", "done"],
      ]),
    );
    await expectFullyCompensated(o.id, sku, units);
  });

  it("a refund whose answer is lost twice: the order stays cancelling, retries with the same key, and refunds once", async () => {
    const { user, sku, o, units } = await pendingOrder(1);
    await injectFault("carrier.label", o.id, null);
    // The provider refunds, but the answer is lost on the way back (twice).
    await injectFault(AFTER_PROVIDER, `order:${o.id}:refund`, 2);
    expect((await confirm(user.accessToken, o.id)).status).toBe(202);
    expect(await settle(o.id)).toBe("cancelled");
    const [payment] = await payments(o.id);
    expect(payment).toMatchObject({ capturedMinor: o.totals.totalMinor, refundedMinor: o.totals.totalMinor, status: "refunded" });
    expect(await sandboxRefundCount(payment!.providerPaymentId!)).toBe(1);
    expect(await eventsAbout(o.id, "RefundIssued")).toBe(1);
    await expectFullyCompensated(o.id, sku, units);
  });
});

describe("payments that settle later", () => {
  async function awaiting() {
    const p = await pendingOrder(1);
    const answer = await json<OrderView>(await confirm(p.user.accessToken, p.o.id, "pm_card_async"), 202);
    expect(answer).toMatchObject({ status: "awaiting_payment", payment: { status: "pending_settlement" } });
    const providerId = (await payments(p.o.id))[0]!.providerPaymentId!;
    return { ...p, providerId };
  }

  it("goes on when the provider's webhook says the payment succeeded", async () => {
    const { user, sku, o, providerId } = await awaiting();
    expect((await sendWebhook(sandboxEventBody({ type: "payment.succeeded", object: { id: providerId } }))).status).toBe(200);
    await eventually(
      async () => ((await json<OrderView>(await getOrder(user.accessToken, o.id), 200)).status === "confirmed" ? true : undefined),
      20_000,
      "confirmed after the webhook",
    );
    expect(await stockLevel(sku)).toMatchObject({ onHand: 9, reserved: 0 });
    expect(await netCharged(o.id)).toBe(o.totals.totalMinor);
    expect((await shipment(o.id))?.status).toBe("label_created");
  });

  it("compensates when the webhook says the payment failed", async () => {
    const { user, sku, o, units, providerId } = await awaiting();
    expect(
      (await sendWebhook(sandboxEventBody({ type: "payment.failed", object: { id: providerId, failureReason: "card_declined" } }))).status,
    ).toBe(200);
    await eventually(
      async () => ((await json<OrderView>(await getOrder(user.accessToken, o.id), 200)).status === "cancelled" ? true : undefined),
      20_000,
      "cancelled after the webhook",
    );
    await expectFullyCompensated(o.id, sku, units);
  });

  it("cancels (expired) and voids when the provider never settles before the deadline", async () => {
    const { sku, o, units } = await awaiting();
    await withTestDb((db) => db.execute(sql`update orders.orders set payment_deadline = now() - interval '1 second' where id = ${o.id}`));
    // The alarm is set for the original deadline: firing it now finds the (moved) deadline passed.
    expect(await runDurableObjectAlarm(orderObject(o.id))).toBe(true);
    expect(await statusOf(o.id)).toBe("cancelled");
    expect((await payments(o.id))[0]!.status).toBe("voided");
    await expectFullyCompensated(o.id, sku, units);
  });
});
