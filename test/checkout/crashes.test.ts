/**
 * A simulated crash between every pair of saga steps (forward and
 * backward): the run stops dead with everything as persisted, the request
 * learns only that the order is in progress, and the order ends confirmed
 * (past the capture) or fully compensated (before it) by itself, through
 * its object's alarm, with no client call. Also: a crash while an order is
 * placed, and the recovery job standing in for a lost alarm.
 */
import { runInDurableObject } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { type OrderView, orderIdForKey } from "../../workers/orders/index.ts";
import { withTestDb } from "../helpers/db.ts";
import { injectFault } from "../helpers/events.ts";
import { api } from "../helpers/http.ts";
import { outboxEvents } from "../helpers/identity.ts";
import {
  cancel,
  confirm,
  getOrder,
  json,
  netCharged,
  order,
  orderObject,
  type Problem,
  payments,
  placeOrder,
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

async function pendingOrder(quantity = 2, units = 10) {
  const user = await shopper();
  const {
    skus: [sku],
  } = await stocked([2500], units);
  const o = await order(user.accessToken, [{ sku: sku!, quantity }]);
  return { user, sku: sku!, o, units, quantity };
}

async function expectConfirmed(orderId: string, sku: string, units: number, quantity: number, total: number) {
  expect(await stockLevel(sku)).toMatchObject({ onHand: units - quantity, reserved: 0 });
  expect(await netCharged(orderId)).toBe(total);
  expect((await shipment(orderId))?.status).toBe("label_created");
  expect(await outboxEvents(orderId, "OrderConfirmed")).toHaveLength(1);
  expect(await outboxEvents(orderId, "OrderCancelled")).toHaveLength(0);
}

async function expectCompensated(orderId: string, sku: string, units: number, opts: { wasConfirmed?: boolean } = {}) {
  expect(await stockLevel(sku)).toMatchObject({ onHand: units, reserved: 0, available: units });
  expect(await netCharged(orderId)).toBe(0);
  const s = await shipment(orderId);
  if (s) expect(s.status).toBe("cancelled");
  expect(await outboxEvents(orderId, "OrderConfirmed")).toHaveLength(opts.wasConfirmed ? 1 : 0);
  expect(await outboxEvents(orderId, "OrderCancelled")).toHaveLength(1);
}

describe("a crash between two forward steps is resolved by the order's alarm", () => {
  it.each([
    ["reserved", "cancelled"],
    ["authorized", "cancelled"],
    ["captured", "confirmed"],
    ["committed", "confirmed"],
    ["shipment_created", "confirmed"],
  ] as const)("after %s: the order ends %s", async (step, outcome) => {
    const { user, sku, o, units, quantity } = await pendingOrder();
    await injectFault(`saga.after_${step}`, o.id, 1);
    expect(await json<Problem>(await confirm(user.accessToken, o.id), 503)).toMatchObject({ code: "ORDER_IN_PROGRESS", orderId: o.id });
    expect(await statusOf(o.id)).toBe("confirming");
    expect(await settle(o.id)).toBe(outcome);
    if (outcome === "confirmed") await expectConfirmed(o.id, sku, units, quantity, o.totals.totalMinor);
    else {
      await expectCompensated(o.id, sku, units);
      const after = await json<OrderView>(await getOrder(user.accessToken, o.id), 200);
      expect(after.cancellation?.reason).toBe("checkout_interrupted");
      // An authorisation made before the crash is voided, never left holding the customer's funds.
      if (step === "authorized") expect((await payments(o.id))[0]!.status).toBe("voided");
    }
  });
});

describe("a crash between two compensations is resolved by the order's alarm", () => {
  it("after the stock was released (declined card)", async () => {
    const { user, sku, o, units } = await pendingOrder();
    await injectFault("saga.after_released", o.id, 1);
    expect((await confirm(user.accessToken, o.id, "pm_card_declined")).status).toBe(503);
    expect(await statusOf(o.id)).toBe("cancelling");
    expect(await settle(o.id)).toBe("cancelled");
    await expectCompensated(o.id, sku, units);
  });

  it("after the authorisation was voided (cancel while the provider settles)", async () => {
    const { user, sku, o, units } = await pendingOrder();
    expect((await confirm(user.accessToken, o.id, "pm_card_async")).status).toBe(202);
    await injectFault("saga.after_voided", o.id, 1);
    expect((await cancel(user.accessToken, o.id)).status).toBe(503);
    expect(await settle(o.id)).toBe("cancelled");
    expect((await payments(o.id))[0]!.status).toBe("voided");
    await expectCompensated(o.id, sku, units);
  });

  it.each(["shipment_halted", "restocked", "refunded"] as const)("after %s (a customer's cancel of a confirmed order)", async (step) => {
    const { user, sku, o, units } = await pendingOrder();
    expect((await confirm(user.accessToken, o.id)).status).toBe(200);
    await injectFault(`saga.after_${step}`, o.id, 1);
    expect((await cancel(user.accessToken, o.id)).status).toBe(503);
    // A cut short cancel of a confirmed order may rest as confirmed until its alarm finishes the cancel.
    expect(await settle(o.id, { until: ["cancelled"] })).toBe("cancelled");
    await expectCompensated(o.id, sku, units, { wasConfirmed: true });
    expect(await json<OrderView>(await getOrder(user.accessToken, o.id), 200)).toMatchObject({
      cancellation: { reason: "customer_request", refundMinor: o.totals.totalMinor },
    });
  });
});

describe("a crash while an order is placed", () => {
  it("leaves a hold that a repeat of the Idempotency-Key takes over: one order, one hold", async () => {
    const user = await shopper();
    const {
      skus: [sku],
    } = await stocked([900], 10);
    const key = `k-${crypto.randomUUID()}`;
    const orderId = await orderIdForKey(user.userId, key);
    await injectFault("order.create.after_reserve", orderId, 1);
    expect((await json<Problem>(await placeOrder(user.accessToken, { lines: [{ sku, quantity: 3 }] }, key), 503)).code).toBe(
      "ORDER_IN_PROGRESS",
    );
    expect(await statusOf(orderId)).toBeNull();
    expect((await stockLevel(sku!)).reserved).toBe(3);
    const placed = await json<OrderView>(await placeOrder(user.accessToken, { lines: [{ sku, quantity: 3 }] }, key), 201);
    expect(placed.id).toBe(orderId);
    expect((await stockLevel(sku!)).reserved).toBe(3);
  });
});

describe("the orders-recovery job", () => {
  const runJob = async () => {
    const res = await api("/api/scheduler/jobs/orders-recovery/run", { method: "POST" });
    expect(res.status).toBeLessThan(300);
    return res.json() as Promise<{ status: string; result?: Record<string, unknown> }>;
  };
  const dropAlarm = (orderId: string) => runInDurableObject(orderObject(orderId), (_instance, state) => state.storage.deleteAlarm());
  const backdate = (orderId: string, column: "updated_at" | "hold_expires_at") =>
    withTestDb((db) => db.execute(sql`update orders.orders set ${sql.raw(column)} = now() - interval '5 minutes' where id = ${orderId}`));

  it("resumes a saga whose alarm was lost, and cancels a pending order whose hold lapsed", async () => {
    const stuck = await pendingOrder();
    await injectFault("saga.after_authorized", stuck.o.id, 1);
    expect((await confirm(stuck.user.accessToken, stuck.o.id)).status).toBe(503);
    await dropAlarm(stuck.o.id);
    await backdate(stuck.o.id, "updated_at");

    const lapsed = await pendingOrder(1);
    await dropAlarm(lapsed.o.id);
    await backdate(lapsed.o.id, "hold_expires_at");

    await runJob();
    expect(await statusOf(stuck.o.id)).toBe("cancelled");
    await expectCompensated(stuck.o.id, stuck.sku, stuck.units);
    expect(await statusOf(lapsed.o.id)).toBe("cancelled");
    expect(await json<OrderView>(await getOrder(lapsed.user.accessToken, lapsed.o.id), 200)).toMatchObject({
      cancellation: { reason: "expired", refundMinor: 0 },
    });
    await expectCompensated(lapsed.o.id, lapsed.sku, lapsed.units);
  });
});
