/**
 * Every write the merchant console offers, made over HTTP by a member of
 * staff as the console makes it, lands in the audit trail under that staff
 * member's user id (StaffActionAttempted before the route, StaffActionTaken
 * after it, recorded by the gateway for any staff write). The list below
 * names each console write as "METHOD /route";
 * console/scripts/console-writes.test.ts checks that it covers every write
 * the console's pages send.
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
import { api, eventually } from "../helpers/http.ts";
import { outboxEvents, registerAndLogin, type TestUser } from "../helpers/identity.ts";

// A 1×1 PNG.
const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) =>
  c.charCodeAt(0),
);

type Call = (staff: TestUser) => Promise<Response>;
const send =
  (method: string, path: string | (() => string), json?: unknown | (() => unknown), headers?: () => Record<string, string>): Call =>
  (staff) =>
    api(typeof path === "function" ? path() : path, {
      method,
      token: staff.accessToken,
      ...(json === undefined ? {} : { json: typeof json === "function" ? (json as () => unknown)() : json }),
      ...(headers ? { headers: headers() } : {}),
    });
const body = async <T>(res: Response) => (await res.clone().json()) as T;
const ifMatch = (version: number) => () => ({ "if-match": `"v${version}"` });

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

interface Entry {
  type: string;
  actorType: string | null;
  actorId: string | null;
  subjectId: string;
  payload: { method: string; route: string; params: Record<string, string>; status: number };
}

describe("the audit actor of each console write", () => {
  it("records the member of staff as the actor of every write the console offers", { timeout: 240_000 }, async () => {
    const admin = await registerAndLogin("admin");
    const done: string[] = [];
    /** Runs one console write as the admin; it must succeed, and is then expected in the trail. */
    const act = async <T = Record<string, unknown>>(write: string, call: Call): Promise<T> => {
      const res = await call(admin);
      expect([write, res.status, res.status < 300 ? "" : await res.text()]).toEqual([write, res.status < 300 ? res.status : 200, ""]);
      done.push(write);
      return res.status === 204 ? ({} as T) : body<T>(res);
    };

    // Catalogue: a product, its edit and publication, an image added and removed.
    const sku = `AUDIT-${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    const product = await act<{ id: string; version: number }>(
      "POST /api/products",
      send("POST", "/api/products", { name: `Audit lamp ${sku}`, status: "draft", variants: [{ sku, priceMinor: 2000, currency: "USD" }] }),
    );
    const edited = await act<{ version: number }>(
      "PATCH /api/products/{id}",
      send("PATCH", `/api/products/${product.id}`, { status: "active" }, ifMatch(product.version)),
    );
    const withImage = await act<{ version: number; images: { id: string }[] }>("POST /api/products/{id}/images", (staff) =>
      api(`/api/products/${product.id}/images?alt=lamp`, {
        method: "POST",
        token: staff.accessToken,
        body: PNG,
        headers: { "content-type": "image/png", "if-match": `"v${edited.version}"` },
      }),
    );
    await act(
      "DELETE /api/products/{id}/images/{imageId}",
      send("DELETE", `/api/products/${product.id}/images/${withImage.images[0]!.id}`, undefined, ifMatch(withImage.version)),
    );

    // Categories and brands: added, renamed (a category also placed), deleted.
    const category = await act<{ id: string; version: number }>(
      "POST /api/products/categories",
      send("POST", "/api/products/categories", { name: `Audit ${sku}`, parentId: null }),
    );
    const placed = await act<{ version: number }>(
      "PATCH /api/products/categories/{id}",
      send("PATCH", `/api/products/categories/${category.id}`, { position: 3 }, ifMatch(category.version)),
    );
    await act(
      "DELETE /api/products/categories/{id}",
      send("DELETE", `/api/products/categories/${category.id}`, undefined, ifMatch(placed.version)),
    );
    const brand = await act<{ id: string; version: number }>(
      "POST /api/products/brands",
      send("POST", "/api/products/brands", { name: `Audit ${sku}` }),
    );
    const renamed = await act<{ version: number }>(
      "PATCH /api/products/brands/{id}",
      send("PATCH", `/api/products/brands/${brand.id}`, { name: `Audited ${sku}` }, ifMatch(brand.version)),
    );
    await act("DELETE /api/products/brands/{id}", send("DELETE", `/api/products/brands/${brand.id}`, undefined, ifMatch(renamed.version)));

    // A timed discount (scheduled, so it can be withdrawn): created, edited, withdrawn.
    const discount = await act<{ id: string; version: number }>(
      "POST /api/products/discounts",
      send("POST", "/api/products/discounts", {
        name: `Audit sale ${sku}`,
        kind: "percentage",
        percentBp: 1000,
        scope: "product",
        productId: product.id,
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      }),
    );
    const changedDiscount = await act<{ version: number }>(
      "PATCH /api/products/discounts/{id}",
      send("PATCH", `/api/products/discounts/${discount.id}`, { percentBp: 1500 }, ifMatch(discount.version)),
    );
    await act(
      "DELETE /api/products/discounts/{id}",
      send("DELETE", `/api/products/discounts/${discount.id}`, undefined, ifMatch(changedDiscount.version)),
    );

    // A promotion code: created, its terms changed, ended.
    const code = await act<{ id: string; version: number }>(
      "POST /api/promotions",
      send("POST", "/api/promotions", { code: `AUD${sku.slice(6)}`, kind: "percentage", percentBp: 500 }),
    );
    await act("PATCH /api/promotions/{id}", send("PATCH", `/api/promotions/${code.id}`, { usageLimit: 10 }, ifMatch(code.version)));
    await act("DELETE /api/promotions/{id}", send("DELETE", `/api/promotions/${code.id}`));

    // Stock adjusted with a reason.
    expect((await api(`/api/inventory/${sku}/restock`, { method: "POST", json: { quantity: 5 } })).status).toBe(200);
    await act("POST /api/inventory/{sku}/adjust", send("POST", `/api/inventory/${sku}/adjust`, { delta: -1, reason: "damaged in store" }));

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
    const review = await postReview(reviewer, await activeProduct());
    await act("POST /api/reviews/{id}/moderation", send("POST", `/api/reviews/${review.id}/moderation`, { decision: "approve" }));

    // Operations: a job started by hand, a dead letter replayed.
    await act("POST /api/scheduler/jobs/{name}/run", send("POST", "/api/scheduler/jobs/catalog-cache-prune/run"));
    const [created] = await outboxEvents(product.id, "ProductCreated");
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
    const wanted = new Set(done);
    const entries = await eventually(
      async () => {
        const page = await body<{ items: Entry[] }>(
          await api(`/api/audit/entries?actorId=${admin.userId}&type=StaffActionTaken&limit=100`),
        );
        const seen = new Set(page.items.map((e) => `${e.payload.method} ${e.payload.route}`));
        return [...wanted].every((w) => seen.has(w)) ? page.items : undefined;
      },
      60_000,
      "an audit entry for each console write",
    );
    expect(done).toHaveLength(CONSOLE_WRITES.length);
    expect(new Set(done)).toEqual(new Set(CONSOLE_WRITES));
    for (const e of entries) expect(e).toMatchObject({ type: "StaffActionTaken", actorType: "user", actorId: admin.userId });
    // The subject is the entity concerned: the path's id, or the id a create answered.
    const subjectOf = (write: string) => entries.find((e) => `${e.payload.method} ${e.payload.route}` === write)?.subjectId;
    expect(subjectOf("POST /api/products")).toBe(product.id);
    expect(subjectOf("PATCH /api/products/categories/{id}")).toBe(category.id);
    expect(subjectOf("POST /api/inventory/{sku}/adjust")).toBe(sku);
    expect(subjectOf("POST /api/delivery/shipments")).toBe(byHandShipment.id);
    // Each was first recorded as an attempt, which the trail shows with its outcome.
    const attempts = await eventually(
      async () => {
        const page = await body<{ items: (Entry & { outcome?: { result: string } })[] }>(
          await api(`/api/audit/entries?actorId=${admin.userId}&type=StaffActionAttempted&limit=100`),
        );
        return page.items.length === done.length && page.items.every((e) => e.outcome?.result === "succeeded") ? page.items : undefined;
      },
      60_000,
      "an attempt with its outcome for each console write",
    );
    expect(new Set(attempts.map((e) => `${e.payload.method} ${e.payload.route}`))).toEqual(wanted);
  });

  it("records no action taken for a refused write, and nothing for a customer's own write", async () => {
    const support = await registerAndLogin("support");
    // Refused: support may not create categories (403), and a bad body is a 422.
    expect((await send("POST", "/api/products/categories", { name: "Nope", parentId: null })(support)).status).toBe(403);
    expect((await send("POST", "/api/inventory/NOPE-SKU/adjust", { delta: "x" })(support)).status).toBe(403);
    // A customer's own write (a review) is the customer's, with its own events: no staff action.
    const customer = await shopper();
    await postReview(customer, await activeProduct());
    // An action that is recorded, as a marker the consumer has caught up to.
    const admin = await registerAndLogin("admin");
    expect((await send("POST", "/api/scheduler/jobs/catalog-cache-prune/run")(admin)).status).toBe(200);
    await eventually(
      async () => (await body<{ items: Entry[] }>(await api(`/api/audit/entries?actorId=${admin.userId}&type=StaffActionTaken`))).items[0],
      30_000,
      "the marker's audit entry",
    );
    for (const who of [support.userId, customer.userId]) {
      const page = await body<{ items: Entry[] }>(await api(`/api/audit/entries?actorId=${who}&type=StaffActionTaken`));
      expect([who, page.items]).toEqual([who, []]);
    }
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

/** Every write the console sends (console/scripts/console-writes.test.ts keeps this in step with its pages). */
const CONSOLE_WRITES = [
  "POST /api/products",
  "PATCH /api/products/{id}",
  "POST /api/products/{id}/images",
  "DELETE /api/products/{id}/images/{imageId}",
  "POST /api/products/categories",
  "PATCH /api/products/categories/{id}",
  "DELETE /api/products/categories/{id}",
  "POST /api/products/brands",
  "PATCH /api/products/brands/{id}",
  "DELETE /api/products/brands/{id}",
  "POST /api/products/discounts",
  "PATCH /api/products/discounts/{id}",
  "DELETE /api/products/discounts/{id}",
  "POST /api/promotions",
  "PATCH /api/promotions/{id}",
  "DELETE /api/promotions/{id}",
  "POST /api/inventory/{sku}/adjust",
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
