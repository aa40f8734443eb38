/**
 * Shipments through the service (as the order saga calls it) and over HTTP:
 * one per order under a race, a carrier failure that stores nothing, halts
 * before and after dispatch (also racing a dispatch, and from the
 * OrderCancelled event), staff moves, and who may see what.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { OrderCancelled } from "../../queues/contracts/events/order.ts";
import { testBindings, testEnv, withTestDb } from "../../test/helpers/db.ts";
import { clearFault, injectFault } from "../../test/helpers/events.ts";
import { api } from "../../test/helpers/http.ts";
import { outboxEvents, registerAndLogin } from "../../test/helpers/identity.ts";
import worker from "../index.ts";
import { ApiError } from "../platform/errors.ts";
import { buildEvent } from "../platform/event-contracts.ts";
import { newId } from "../platform/ids.ts";
import { createShipmentForOrder, haltShipmentForOrder, type ShipmentView, shipmentForOrder } from "./service.ts";
import { address, advance, makeShipment, shipmentCount, shipmentInput } from "./test-fixtures.ts";

const userId = () => newId("usr");

describe("creating the shipment of an order", () => {
  it("buys a label and announces it", async () => {
    const owner = userId();
    const s = await makeShipment(owner);
    expect(s).toMatchObject({ userId: owner, carrier: "sandbox", status: "label_created", currency: "EUR" });
    expect(s.trackingNumber).toMatch(/^SBX\d{12}$/);
    expect(s.trackingUrl).toMatch(/^https:\/\/.+SBX\d{12}$/);
    expect(s.timeline.map((t) => t.status)).toEqual(["label_created"]);
    const events = await outboxEvents<{ orderId: string; country: string; trackingNumber: string }>(s.id, "ShipmentCreated");
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ orderId: s.orderId, country: "PT", trackingNumber: s.trackingNumber });
  });

  it("makes exactly one shipment when calls for one order race", async () => {
    const input = shipmentInput(userId());
    const results = await Promise.all(Array.from({ length: 6 }, () => withTestDb((db) => createShipmentForOrder(testEnv, db, input))));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await shipmentCount(input.orderId)).toBe(1);
    expect(await outboxEvents(results[0]!.id, "ShipmentCreated")).toHaveLength(1);
    // And a later repeat answers with the same shipment.
    const again = await withTestDb((db) => createShipmentForOrder(testEnv, db, input));
    expect(again.id).toBe(results[0]!.id);
  });

  it("stores nothing when the carrier fails, so the retry is clean", async () => {
    const input = shipmentInput(userId());
    await injectFault("carrier.label", input.orderId, 1);
    try {
      const err = await withTestDb((db) => createShipmentForOrder(testEnv, db, input)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ status: 503, code: "CARRIER_UNAVAILABLE" });
      expect(await shipmentCount(input.orderId)).toBe(0);
      const retried = await withTestDb((db) => createShipmentForOrder(testEnv, db, input));
      expect(retried.status).toBe("label_created");
      expect(await shipmentCount(input.orderId)).toBe(1);
    } finally {
      await clearFault("carrier.label", input.orderId);
    }
  });

  it("refuses an invalid address, naming the field", async () => {
    const input = { ...shipmentInput(userId()), address: { ...address, country: "DE" } };
    const err = await withTestDb((db) => createShipmentForOrder(testEnv, db, input)).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 422, code: "INVALID_ADDRESS", extras: { errors: [{ field: "address.postalCode" }] } });
    expect(await shipmentCount(input.orderId)).toBe(0);
  });
});

describe("halting the shipment of a cancelled order", () => {
  const halt = (orderId: string) => withTestDb((db) => haltShipmentForOrder(testEnv, db, { orderId, correlationId: newId("req") }));

  it("cancels a shipment that has not left, once", async () => {
    const s = await makeShipment(userId());
    const first = await halt(s.orderId);
    expect(first).toMatchObject({ halted: true, shipment: { id: s.id, status: "cancelled" } });
    const second = await halt(s.orderId);
    expect(second).toMatchObject({ halted: true, shipment: { status: "cancelled" } });
    expect(second.shipment!.timeline.map((t) => t.status)).toEqual(["label_created", "cancelled"]);
    const changes = await outboxEvents<{ to: string }>(s.id, "ShipmentStatusChanged");
    expect(changes.map((e) => e.payload.to)).toEqual(["cancelled"]);
    // A cancelled shipment cannot be dispatched afterwards.
    expect((await advance(s.id, "dispatched")).status).toBe(409);
  });

  it("reports a shipment that already left without touching it", async () => {
    const s = await makeShipment(userId());
    expect((await advance(s.id, "dispatched")).status).toBe(200);
    const result = await halt(s.orderId);
    expect(result).toMatchObject({ halted: false, shipment: { id: s.id, status: "dispatched" } });
    expect(await outboxEvents(s.id, "ShipmentDispatched")).toHaveLength(1);
  });

  it("answers halted for an order without a shipment", async () => {
    expect(await halt(newId("ord"))).toEqual({ halted: true, shipment: null });
  });

  it("lets exactly one of a halt and a dispatch win when they race", async () => {
    for (let i = 0; i < 3; i++) {
      const s = await makeShipment(userId());
      const [halted, dispatched] = await Promise.all([halt(s.orderId), advance(s.id, "dispatched")]);
      const final = (await withTestDb((db) => shipmentForOrder(db, s.orderId)))!;
      if (halted.halted) {
        expect(final.status).toBe("cancelled");
        expect(dispatched.status).toBe(409);
      } else {
        expect(final.status).toBe("dispatched");
        expect(dispatched.status).toBe(200);
      }
    }
  });

  it("halts from the OrderCancelled event as a safety net, once however often it arrives", async () => {
    const s = await makeShipment(userId());
    const event = buildEvent(OrderCancelled, {
      subjectId: s.orderId,
      source: "orders",
      correlationId: newId("req"),
      payload: {
        orderId: s.orderId,
        orderNumber: s.orderNumber,
        userId: s.userId,
        reason: "customer_request",
        refundMinor: 2500,
        currency: "EUR",
      },
    });
    for (let i = 0; i < 2; i++) {
      const batch = createMessageBatch("fulfilment-events", [
        { id: `m-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: event },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, testBindings, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
    }
    const final = (await withTestDb((db) => shipmentForOrder(db, s.orderId)))!;
    expect(final.status).toBe("cancelled");
    expect((await outboxEvents<{ to: string }>(s.id, "ShipmentStatusChanged")).map((e) => e.payload.to)).toEqual(["cancelled"]);
  });
});

describe("shipment routes", () => {
  it("lets staff create a shipment by hand, once per order", async () => {
    const input = shipmentInput(userId());
    const { correlationId: _c, ...body } = input;
    const created = await api("/api/delivery/shipments", { method: "POST", json: body });
    expect(created.status).toBe(201);
    const repeat = await api("/api/delivery/shipments", { method: "POST", json: body });
    expect(repeat.status).toBe(200);
    expect(((await repeat.json()) as ShipmentView).id).toBe(((await created.json()) as ShipmentView).id);
    const customer = await registerAndLogin("customer");
    expect(
      (await api("/api/delivery/shipments", { method: "POST", json: { ...body, orderId: newId("ord") }, token: customer.accessToken }))
        .status,
    ).toBe(403);
    expect((await api("/api/delivery/shipments", { method: "POST", json: body, token: null })).status).toBe(401);
    const invalid = await api("/api/delivery/shipments", { method: "POST", json: { ...body, orderId: newId("ord"), lines: [] } });
    expect(invalid.status).toBe(422);
  });

  it("shows a shipment to its customer and staff only (BOLA)", async () => {
    const [owner, other, support] = await Promise.all([
      registerAndLogin("customer"),
      registerAndLogin("customer"),
      registerAndLogin("support"),
    ]);
    const s = await makeShipment(owner.userId);
    const get = (token: string | null) => api(`/api/delivery/shipments/${s.id}`, { token });
    expect((await get(owner.accessToken)).status).toBe(200);
    expect((await get(support.accessToken)).status).toBe(200);
    const foreign = await get(other.accessToken);
    expect(foreign.status).toBe(404);
    // A foreign shipment looks exactly like a missing one.
    const missing = await api(`/api/delivery/shipments/${newId("shp")}`, { token: other.accessToken });
    expect(((await foreign.json()) as { code: string }).code).toBe(((await missing.json()) as { code: string }).code);
    expect((await get(null)).status).toBe(401);

    const list = async (token: string) =>
      ((await (await api(`/api/delivery/shipments?orderId=${s.orderId}`, { token })).json()) as { items: ShipmentView[] }).items.map(
        (i) => i.id,
      );
    expect(await list(owner.accessToken)).toEqual([s.id]);
    expect(await list(other.accessToken)).toEqual([]);
    expect(await list(support.accessToken)).toEqual([s.id]);
    // Customers cannot move shipments.
    expect((await advance(s.id, "dispatched", owner.accessToken)).status).toBe(403);
  });

  it("pages a customer's shipments newest first", async () => {
    const owner = await registerAndLogin("customer");
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await makeShipment(owner.userId));
    const first = (await (await api("/api/delivery/shipments?limit=2", { token: owner.accessToken })).json()) as {
      items: ShipmentView[];
      nextCursor: string;
    };
    expect(first.items.map((s) => s.id)).toEqual([made[2]!.id, made[1]!.id]);
    const second = (await (
      await api(`/api/delivery/shipments?limit=2&cursor=${first.nextCursor}`, { token: owner.accessToken })
    ).json()) as { items: ShipmentView[]; nextCursor: string | null };
    expect(second).toEqual({ items: [expect.objectContaining({ id: made[0]!.id })], nextCursor: null });
  });

  it("moves a shipment along legal steps only, announcing dispatch and delivery", async () => {
    const s = await makeShipment(userId());
    for (const status of ["dispatched", "in_transit", "out_for_delivery", "delivered"])
      expect((await advance(s.id, status)).status).toBe(200);
    const back = await advance(s.id, "in_transit");
    expect(back.status).toBe(409);
    expect(((await back.json()) as { code: string }).code).toBe("INVALID_SHIPMENT_TRANSITION");
    expect((await advance(s.id, "cancelled")).status).toBe(409);
    expect(await outboxEvents(s.id, "ShipmentDispatched")).toHaveLength(1);
    const delivered = await outboxEvents<{ deliveredAt: string }>(s.id, "DeliveryCompleted");
    expect(delivered).toHaveLength(1);
    const view = (await withTestDb((db) => shipmentForOrder(db, s.orderId)))!;
    expect(view.timeline.map((t) => t.status)).toEqual(["label_created", "dispatched", "in_transit", "out_for_delivery", "delivered"]);
    expect((await advance(newId("shp"), "dispatched")).status).toBe(404);
  });

  it("shows public tracking without personal data", async () => {
    const s = await makeShipment(userId());
    await advance(s.id, "dispatched");
    const res = await api(`/api/delivery/tracking/${s.trackingNumber}`, { token: null });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ trackingNumber: s.trackingNumber, carrier: "sandbox", status: "dispatched" });
    expect(Object.keys(body).sort()).toEqual(["carrier", "estimatedDelivery", "status", "timeline", "trackingNumber"]);
    const text = JSON.stringify(body);
    for (const secret of [s.userId, s.orderId, s.orderNumber, address.name, address.line1, "Ceramic mug"])
      expect(text).not.toContain(secret);
    expect((await api("/api/delivery/tracking/SBX000000000000", { token: null })).status).toBe(404);
  });

  it("validates an address for clients", async () => {
    const ok = await api("/api/delivery/validate-address", { method: "POST", token: null, json: { ...address, postalCode: "1100053" } });
    expect(await ok.json()).toEqual({
      valid: true,
      address: { ...address, postalCode: "1100-053", country: "PT", line2: null, region: null, phone: null },
      issues: [],
    });
    const bad = await api("/api/delivery/validate-address", { method: "POST", token: null, json: { ...address, country: "XX" } });
    expect(await bad.json()).toMatchObject({ valid: false, address: null, issues: [{ path: "country" }] });
  });

  it("documents every delivery route in the OpenAPI document", async () => {
    const doc = (await (await api("/api/openapi.json", { token: null })).json()) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    for (const path of [
      "/shipments",
      "/shipments/{id}",
      "/shipments/{id}/status",
      "/tracking/{trackingNumber}",
      "/webhooks/{carrier}",
      "/validate-address",
      "/returns",
      "/returns/{id}",
      "/returns/{id}/receive",
      "/returns/{id}/inspect",
    ]) {
      expect(doc.paths, path).toHaveProperty([`/api/delivery${path}`]);
    }
    expect(doc.components.schemas).toHaveProperty("ShippingAddress");
  });
});
