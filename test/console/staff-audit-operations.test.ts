/**
 * Every order, customer, review and operations write the merchant console
 * offers (cancellations, returns, shipments, refunds, a mail sent again,
 * roles, erasure, moderation, jobs, dead letters, reports, backups), made over
 * HTTP by a member of staff as the console makes it, lands in the audit trail
 * under that staff member's user id (StaffActionAttempted before the route,
 * StaffActionTaken after it, recorded by the gateway for any staff write).
 * The list below names each of these console writes as "METHOD /route";
 * staff-audit-catalog.test.ts makes the rest, and
 * console/scripts/console-writes.test.ts checks that the two lists cover
 * every write the console's pages send.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openSku } from "../../durable-objects/inventory/testing.ts";
import { createShipmentForOrder } from "../../workers/delivery/service.ts";
import { advance, makeShipment, orderNumber, shipmentInput } from "../../workers/delivery/test-fixtures.ts";
import { authorizePayment, capturePayment } from "../../workers/payments/index.ts";
import { newId } from "../../workers/platform/ids.ts";
import { activeProduct, postReview, shopper } from "../../workers/reviews/test-fixtures.ts";
import { order, stocked } from "../checkout/fixtures.ts";
import { testEnv, withTestDb } from "../helpers/db.ts";
import { api } from "../helpers/http.ts";
import { outboxEvents, registerAndLogin, type TestUser } from "../helpers/identity.ts";
import { body, consoleWrites, expectEachWriteAudited, send } from "./staff-write-trail.ts";

/** A captured payment and a delivered shipment of it, with a return the customer opened. */
async function returnedOrder(owner: TestUser): Promise<{ returnId: string; paymentId: string }> {
  const { sku } = await openSku(10, {}, "AUD");
  const orderId = newId("ord");
  const number = orderNumber();
  const lines = [{ sku, productId: newId("prd"), name: "Mug", quantity: 1, unitPaidMinor: 1250 }];
  const { paymentId, shipmentId } = await withTestDb(async (db) => {
    const correlationId = newId("req");
    const pay = { orderId, orderNumber: number, userId: owner.userId, amountMinor: 1250, currency: "EUR", correlationId };
    const authorized = await authorizePayment(testEnv, db, { ...pay, paymentMethodId: "pm_card_visa", idempotencyKey: `a:${orderId}` });
    const captured = await capturePayment(testEnv, db, { paymentId: authorized.id, idempotencyKey: `c:${orderId}`, correlationId });
    const shipment = await createShipmentForOrder(testEnv, db, {
      ...shipmentInput(owner.userId, { orderId, lines, paymentId: captured.id }),
      orderNumber: number,
    });
    return { paymentId: captured.id, shipmentId: shipment.id };
  });
  expect((await advance(shipmentId, "dispatched")).status).toBe(200);
  expect((await advance(shipmentId, "delivered")).status).toBe(200);
  const opened = await api("/api/delivery/returns", {
    method: "POST",
    token: owner.accessToken,
    json: { orderId, reason: "damaged", lines: [{ sku, quantity: 1 }] },
  });
  expect(opened.status).toBe(201);
  return { returnId: (await body<{ id: string }>(opened)).id, paymentId };
}

describe("the audit actor of each console operations write", () => {
  it("records the member of staff as the actor of every order, customer and operations write the console offers", {
    timeout: 240_000,
  }, async () => {
    const admin = await registerAndLogin("admin");
    const { act, done } = consoleWrites(admin);

    // Orders: a pending order cancelled; a delivered one's return received and inspected, a refund, the order's mail again.
    const customer = await registerAndLogin();
    const { skus } = await stocked([1500], 5);
    const pending = await order(customer.accessToken, [{ sku: skus[0]!, quantity: 1 }]);
    await act("PUT /api/orders/{id}/cancel", send("PUT", `/api/orders/${pending.id}/cancel`, { reason: "merchant" }));
    const { returnId, paymentId } = await returnedOrder(customer);
    await act("POST /api/delivery/returns/{id}/receive", send("POST", `/api/delivery/returns/${returnId}/receive`));
    await act("POST /api/delivery/returns/{id}/inspect", send("POST", `/api/delivery/returns/${returnId}/inspect`, {}));
    const { correlationId: _, ...byHand } = shipmentInput(customer.userId);
    const byHandShipment = await act<{ id: string }>("POST /api/delivery/shipments", send("POST", "/api/delivery/shipments", byHand));
    const shipment = await makeShipment(customer.userId);
    await act(
      "POST /api/delivery/shipments/{id}/status",
      send("POST", `/api/delivery/shipments/${shipment.id}/status`, { status: "dispatched" }),
    );
    const refundable = await capturedPayment(customer);
    await act("POST /api/payments/refund", (staff) =>
      api("/api/payments/refund", {
        method: "POST",
        token: staff.accessToken,
        json: { paymentId: refundable, amountMinor: 500, reason: "goodwill" },
        headers: { "idempotency-key": crypto.randomUUID() },
      }),
    );
    void paymentId;
    await act(
      "POST /api/notifications/send",
      send(
        "POST",
        "/api/notifications/send",
        {
          userId: customer.userId,
          template: "order-confirmed",
          data: { orderId: pending.id, orderNumber: pending.number, totalMinor: 1500, currency: "USD" },
          channels: ["email"],
        },
        () => ({ "idempotency-key": crypto.randomUUID() }),
      ),
    );

    // Customers: a role changed, an account erased.
    const colleague = await registerAndLogin();
    await act("PUT /api/users/{id}", send("PUT", `/api/users/${colleague.userId}`, { role: "support" }));
    const leaving = await registerAndLogin();
    await act("DELETE /api/users/{id}", send("DELETE", `/api/users/${leaving.userId}`));

    // Reviews: one moderated.
    const reviewer = await shopper();
    const reviewed = await activeProduct();
    const review = await postReview(reviewer, reviewed);
    await act("POST /api/reviews/{id}/moderation", send("POST", `/api/reviews/${review.id}/moderation`, { decision: "approve" }));

    // Operations: a job started by hand, a dead letter replayed.
    await act("POST /api/scheduler/jobs/{name}/run", send("POST", "/api/scheduler/jobs/catalog-cache-prune/run"));
    // The dead letter holds the reviewed product's creation event.
    const [created] = await outboxEvents(reviewed, "ProductCreated");
    const deadLetterId = newId("dlq");
    await withTestDb((db) =>
      db.execute(sql`insert into pipeline.dead_letters (id, queue, message_key, event_type, body, reason)
        values (${deadLetterId}, 'search-events', ${`audit-${deadLetterId}`}, 'ProductCreated', ${JSON.stringify(created)}::jsonb, 'test')`),
    );
    await act("POST /api/pipeline/dead-letters/{id}/replay", send("POST", `/api/pipeline/dead-letters/${deadLetterId}/replay`));

    // Reports: a run, a schedule made and ended.
    await act("POST /api/reports/runs", send("POST", "/api/reports/runs", { definition: "stock", params: {}, formats: ["csv"] }));
    const schedule = await act<{ id: string }>(
      "POST /api/reports/schedules",
      send("POST", "/api/reports/schedules", { definition: "stock", params: {}, formats: ["csv"], frequency: "daily" }),
    );
    await act("DELETE /api/reports/schedules/{id}", send("DELETE", `/api/reports/schedules/${schedule.id}`));

    // Backups: one taken and validated, and a restore's dry run (the restore itself is the same route, with its token).
    const backup = await act<{ backupId: string }>("POST /api/backups", send("POST", "/api/backups"));
    await act("POST /api/backups/{id}/validate", send("POST", `/api/backups/${backup.backupId}/validate`));
    await act(
      "POST /api/backups/{id}/restore",
      send("POST", `/api/backups/${backup.backupId}/restore`, { dryRun: true, schemas: ["promotions"] }),
    );

    // Every write is in the trail, under the admin's user id.
    const subjectOf = await expectEachWriteAudited(admin, done, OPERATIONS_WRITES);
    expect(subjectOf("POST /api/delivery/shipments")).toBe(byHandShipment.id);
  });
});

async function capturedPayment(owner: TestUser): Promise<string> {
  return withTestDb(async (db) => {
    const orderId = newId("ord");
    const correlationId = newId("req");
    const authorized = await authorizePayment(testEnv, db, {
      orderId,
      orderNumber: orderNumber(),
      userId: owner.userId,
      amountMinor: 3000,
      currency: "EUR",
      paymentMethodId: "pm_card_visa",
      idempotencyKey: `a:${orderId}`,
      correlationId,
    });
    return (await capturePayment(testEnv, db, { paymentId: authorized.id, idempotencyKey: `c:${orderId}`, correlationId })).id;
  });
}

/** The console's order, customer and operations writes (console/scripts/console-writes.test.ts keeps them, with the catalogue test's, in step with its pages). */
const OPERATIONS_WRITES = [
  "PUT /api/orders/{id}/cancel",
  "POST /api/delivery/returns/{id}/receive",
  "POST /api/delivery/returns/{id}/inspect",
  "POST /api/delivery/shipments",
  "POST /api/delivery/shipments/{id}/status",
  "POST /api/payments/refund",
  "POST /api/notifications/send",
  "PUT /api/users/{id}",
  "DELETE /api/users/{id}",
  "POST /api/reviews/{id}/moderation",
  "POST /api/scheduler/jobs/{name}/run",
  "POST /api/pipeline/dead-letters/{id}/replay",
  "POST /api/reports/runs",
  "POST /api/reports/schedules",
  "DELETE /api/reports/schedules/{id}",
  "POST /api/backups",
  "POST /api/backups/{id}/validate",
  "POST /api/backups/{id}/restore",
];
