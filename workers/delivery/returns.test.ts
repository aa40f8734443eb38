/**
 * Returns end to end: a real captured payment from the payments sandbox and
 * real inventory objects; a delivered shipment made through the service;
 * then return, receive, inspect, with the stock back in the objects and the
 * refund on the payment. Also: who may open and see a return, the window,
 * quantities under a race, and an inspection resumed after a crash.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openSku, stock } from "../../durable-objects/inventory/testing.ts";
import { testEnv, withTestDb } from "../../test/helpers/db.ts";
import { clearFault, injectFault } from "../../test/helpers/events.ts";
import { api } from "../../test/helpers/http.ts";
import { outboxEvents, registerAndLogin, type TestUser } from "../../test/helpers/identity.ts";
import { authorizePayment, capturePayment, getPayment } from "../payments/index.ts";
import { newId } from "../platform/ids.ts";
import type { ReturnView } from "./return-queries.ts";
import { createShipmentForOrder, type ShipmentView } from "./service.ts";
import { advance, orderNumber, shipmentInput } from "./test-fixtures.ts";

interface Delivered {
  shipment: ShipmentView;
  paymentId: string;
  skus: [string, string];
}

/** A paid (captured with pm_card_visa) and delivered order of 2 x A at 12.50 and 1 x B at 9.90. */
async function deliveredOrder(owner: TestUser, options: { deliver?: boolean } = {}): Promise<Delivered> {
  const [a, b] = await Promise.all([openSku(10, {}, "RET"), openSku(10, {}, "RET")]);
  const orderId = newId("ord");
  const number = orderNumber();
  const lines = [
    { sku: a.sku, productId: newId("prd"), name: "Ceramic mug", quantity: 2, unitPaidMinor: 1250 },
    { sku: b.sku, productId: newId("prd"), name: "Green tea", quantity: 1, unitPaidMinor: 990 },
  ];
  const { payment, shipment } = await withTestDb(async (db) => {
    const correlationId = newId("req");
    const authorized = await authorizePayment(testEnv, db, {
      orderId,
      orderNumber: number,
      userId: owner.userId,
      amountMinor: 3490,
      currency: "EUR",
      paymentMethodId: "pm_card_visa",
      idempotencyKey: `order:${orderId}:authorize`,
      correlationId,
    });
    const captured = await capturePayment(testEnv, db, {
      paymentId: authorized.id,
      idempotencyKey: `order:${orderId}:capture`,
      correlationId,
    });
    const shipment = await createShipmentForOrder(testEnv, db, {
      ...shipmentInput(owner.userId, { orderId, lines, paymentId: captured.id }),
      orderNumber: number,
    });
    return { payment: captured, shipment };
  });
  expect(payment).toMatchObject({ status: "captured", capturedMinor: 3490 });
  if (options.deliver !== false) {
    expect((await advance(shipment.id, "dispatched")).status).toBe(200);
    expect((await advance(shipment.id, "delivered")).status).toBe(200);
  }
  return { shipment, paymentId: payment.id, skus: [a.sku, b.sku] };
}

const openReturn = (token: string, orderId: string, lines: { sku: string; quantity: number }[]) =>
  api("/api/delivery/returns", { method: "POST", token, json: { orderId, reason: "damaged", lines } });
const onHand = async (sku: string) => (await stock(sku).level(sku)).onHand;
const refundEvents = (paymentId: string) =>
  withTestDb(async (db) =>
    (
      await db.execute<{ payload: { amountMinor: number; reason: string } }>(
        sql`select envelope->'payload' as payload from events.outbox where type = 'RefundIssued' and envelope->'payload'->>'paymentId' = ${paymentId}`,
      )
    ).rows.map((r) => r.payload),
  );

describe("returns end to end", () => {
  it("opens, receives and inspects a return: accepted units restocked and refunded at the price paid", async () => {
    const [owner, other, support] = await Promise.all([
      registerAndLogin("customer"),
      registerAndLogin("customer"),
      registerAndLogin("support"),
    ]);
    const { shipment, paymentId, skus } = await deliveredOrder(owner);
    const [a, b] = skus;

    const created = await openReturn(owner.accessToken, shipment.orderId, [
      { sku: a, quantity: 2 },
      { sku: b, quantity: 1 },
    ]);
    expect(created.status).toBe(201);
    const ret = (await created.json()) as ReturnView;
    expect(ret).toMatchObject({ status: "initiated", orderId: shipment.orderId, userId: owner.userId, reason: "damaged", currency: "EUR" });
    expect(ret.rmaNumber).toMatch(/^RMA-[0-9A-Z]{10}$/);
    const initiated = await outboxEvents<{ returnId: string; itemCount: number }>(shipment.orderId, "ReturnInitiated");
    expect(initiated.map((e) => e.payload)).toEqual([expect.objectContaining({ returnId: ret.id, itemCount: 3 })]);

    // Owner and staff see it; another customer gets a 404, for the return and for the order.
    expect((await api(`/api/delivery/returns/${ret.id}`, { token: owner.accessToken })).status).toBe(200);
    expect((await api(`/api/delivery/returns/${ret.id}`, { token: support.accessToken })).status).toBe(200);
    expect((await api(`/api/delivery/returns/${ret.id}`, { token: other.accessToken })).status).toBe(404);
    expect((await openReturn(other.accessToken, shipment.orderId, [{ sku: b, quantity: 1 }])).status).toBe(404);
    // Customers cannot move a return along.
    expect((await api(`/api/delivery/returns/${ret.id}/receive`, { method: "POST", token: owner.accessToken })).status).toBe(403);

    // Inspecting before the parcel arrived is refused.
    const early = await api(`/api/delivery/returns/${ret.id}/inspect`, { method: "POST", json: {} });
    expect(early.status).toBe(409);
    expect(((await early.json()) as { code: string }).code).toBe("RETURN_STATE_CONFLICT");

    const [stockA, stockB] = [await onHand(a), await onHand(b)];
    const received = await api(`/api/delivery/returns/${ret.id}/receive`, { method: "POST" });
    expect(((await received.json()) as ReturnView).status).toBe("received");

    // One mug came back broken: 1 x A and 1 x B accepted.
    const inspection = {
      lines: [
        { sku: a, acceptedQuantity: 1 },
        { sku: b, acceptedQuantity: 1 },
      ],
      note: "one mug broken",
    };
    const inspected = await api(`/api/delivery/returns/${ret.id}/inspect`, { method: "POST", json: inspection });
    expect(inspected.status).toBe(200);
    const done = (await inspected.json()) as ReturnView;
    expect(done).toMatchObject({ status: "refunded", refundMinor: 1250 + 990, inspectionNote: "one mug broken" });
    expect(done.refundId).toMatch(/^rfd_/);
    expect([await onHand(a), await onHand(b)]).toEqual([stockA + 1, stockB + 1]);
    expect(await withTestDb((db) => getPayment(db, paymentId))).toMatchObject({ refundedMinor: 2240, status: "partially_refunded" });
    expect(await refundEvents(paymentId)).toEqual([expect.objectContaining({ amountMinor: 2240, reason: "return_received" })]);

    // A repeat of the same inspection changes nothing; other quantities are refused.
    expect((await api(`/api/delivery/returns/${ret.id}/inspect`, { method: "POST", json: inspection })).status).toBe(200);
    expect((await api(`/api/delivery/returns/${ret.id}/inspect`, { method: "POST", json: {} })).status).toBe(409);
    expect([await onHand(a), await onHand(b)]).toEqual([stockA + 1, stockB + 1]);
    expect((await withTestDb((db) => getPayment(db, paymentId)))!.refundedMinor).toBe(2240);

    // Every unit is claimed by this return already.
    const more = await openReturn(owner.accessToken, shipment.orderId, [{ sku: a, quantity: 1 }]);
    expect(more.status).toBe(409);
    expect(((await more.json()) as { code: string }).code).toBe("RETURN_QUANTITY_EXCEEDED");
  });

  it("refuses a return once the window has closed, and before delivery", async () => {
    const owner = await registerAndLogin("customer");
    const late = await deliveredOrder(owner);
    await withTestDb((db) =>
      db.execute(sql`update delivery.shipments set delivered_at = now() - interval '31 days' where id = ${late.shipment.id}`),
    );
    const closed = await openReturn(owner.accessToken, late.shipment.orderId, [{ sku: late.skus[0], quantity: 1 }]);
    expect(closed.status).toBe(409);
    expect(((await closed.json()) as { code: string }).code).toBe("RETURN_WINDOW_CLOSED");
    await withTestDb((db) =>
      db.execute(sql`update delivery.shipments set delivered_at = now() - interval '29 days' where id = ${late.shipment.id}`),
    );
    expect((await openReturn(owner.accessToken, late.shipment.orderId, [{ sku: late.skus[0], quantity: 1 }])).status).toBe(201);

    const undelivered = await deliveredOrder(owner, { deliver: false });
    const early = await openReturn(owner.accessToken, undelivered.shipment.orderId, [{ sku: undelivered.skus[0], quantity: 1 }]);
    expect(early.status).toBe(409);
    expect(((await early.json()) as { code: string }).code).toBe("ORDER_NOT_DELIVERED");
  });

  it("lets only one of two racing returns claim the last units", async () => {
    const owner = await registerAndLogin("customer");
    const { shipment, skus } = await deliveredOrder(owner);
    const results = await Promise.all([
      openReturn(owner.accessToken, shipment.orderId, [{ sku: skus[0], quantity: 2 }]),
      openReturn(owner.accessToken, shipment.orderId, [{ sku: skus[0], quantity: 2 }]),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it("rejects a return with nothing accepted: no restock, no refund, and its units can be claimed again", async () => {
    const owner = await registerAndLogin("customer");
    const { shipment, paymentId, skus } = await deliveredOrder(owner);
    const ret = (await (await openReturn(owner.accessToken, shipment.orderId, [{ sku: skus[1], quantity: 1 }])).json()) as ReturnView;
    const before = await onHand(skus[1]);
    await api(`/api/delivery/returns/${ret.id}/receive`, { method: "POST" });
    const res = await api(`/api/delivery/returns/${ret.id}/inspect`, {
      method: "POST",
      json: { lines: [{ sku: skus[1], acceptedQuantity: 0 }] },
    });
    expect(await res.json()).toMatchObject({ status: "rejected", refundMinor: 0, refundId: null });
    expect(await onHand(skus[1])).toBe(before);
    expect((await withTestDb((db) => getPayment(db, paymentId)))!.refundedMinor).toBe(0);
    expect((await openReturn(owner.accessToken, shipment.orderId, [{ sku: skus[1], quantity: 1 }])).status).toBe(201);
  });

  it("finishes an inspection after a crash between the refund and its record, refunding and restocking once", async () => {
    const owner = await registerAndLogin("customer");
    const { shipment, paymentId, skus } = await deliveredOrder(owner);
    const ret = (await (await openReturn(owner.accessToken, shipment.orderId, [{ sku: skus[0], quantity: 2 }])).json()) as ReturnView;
    await api(`/api/delivery/returns/${ret.id}/receive`, { method: "POST" });
    const before = await onHand(skus[0]);
    const key = `return:${ret.id}`;
    await injectFault("payments.after_provider", key, 1);
    try {
      const crashed = await api(`/api/delivery/returns/${ret.id}/inspect`, { method: "POST", json: {} });
      expect(crashed.status).toBe(500);
      expect(((await (await api(`/api/delivery/returns/${ret.id}`)).json()) as ReturnView).status).toBe("inspected");
      // Called again (this time without a body: accept everything), it finishes the job.
      const resumed = await api(`/api/delivery/returns/${ret.id}/inspect`, { method: "POST" });
      expect(await resumed.json()).toMatchObject({ status: "refunded", refundMinor: 2500 });
    } finally {
      await clearFault("payments.after_provider", key);
    }
    expect(await onHand(skus[0])).toBe(before + 2);
    expect((await withTestDb((db) => getPayment(db, paymentId)))!.refundedMinor).toBe(2500);
    expect(await refundEvents(paymentId)).toHaveLength(1);
  });

  it("is finished by the resume job when nobody calls inspect again", async () => {
    const owner = await registerAndLogin("customer");
    const { shipment, paymentId, skus } = await deliveredOrder(owner);
    const ret = (await (await openReturn(owner.accessToken, shipment.orderId, [{ sku: skus[1], quantity: 1 }])).json()) as ReturnView;
    await api(`/api/delivery/returns/${ret.id}/receive`, { method: "POST" });
    const before = await onHand(skus[1]);
    const key = `return:${ret.id}`;
    await injectFault("payments.after_provider", key, 1);
    try {
      expect((await api(`/api/delivery/returns/${ret.id}/inspect`, { method: "POST" })).status).toBe(500);
    } finally {
      await clearFault("payments.after_provider", key);
    }
    const runJob = async () =>
      (await (await api("/api/scheduler/jobs/delivery-returns-resume/run", { method: "POST" })).json()) as { outcome: string };
    // Too recent: left to the request that may still be working on it.
    expect(await runJob()).toMatchObject({ outcome: "succeeded" });
    expect(((await (await api(`/api/delivery/returns/${ret.id}`)).json()) as ReturnView).status).toBe("inspected");
    await withTestDb((db) =>
      db.execute(sql`update delivery.returns set inspected_at = now() - interval '10 minutes' where id = ${ret.id}`),
    );
    expect(await runJob()).toMatchObject({ outcome: "succeeded" });
    expect(await (await api(`/api/delivery/returns/${ret.id}`)).json()).toMatchObject({ status: "refunded", refundMinor: 990 });
    expect(await onHand(skus[1])).toBe(before + 1);
    expect((await withTestDb((db) => getPayment(db, paymentId)))!.refundedMinor).toBe(990);
  });
});
