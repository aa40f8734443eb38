/** /api/payments over HTTP: admin-only operations, problem answers, and who may read which payment (BOLA). */
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../../test/helpers/http.ts";
import { registerAndLogin, type TestUser } from "../../test/helpers/identity.ts";
import { newId } from "../platform/ids.ts";

const authorizeBody = (over: Record<string, unknown> = {}) => ({
  orderId: newId("ord"),
  orderNumber: "EC-2026-000777",
  userId: newId("usr"),
  amountMinor: 2599,
  currency: "EUR",
  paymentMethodId: "pm_card_visa",
  ...over,
});
const post = (path: string, json: unknown, key: string | null, token?: string | null) =>
  api(`/api/payments${path}`, { method: "POST", json, token, headers: key ? { "idempotency-key": key } : {} });

describe("payment operations over HTTP", () => {
  it("authorise, capture, refund and void for admins and service tokens, with idempotency keys", async () => {
    const body = authorizeBody();
    const first = await post("/authorize", body, "k-1");
    expect(first.status).toBe(200);
    const payment = (await first.json()) as { id: string; status: string };
    expect(payment.status).toBe("authorized");
    const again = (await (await post("/authorize", body, "k-1")).json()) as { id: string };
    expect(again.id).toBe(payment.id);

    const captured = await post("/capture", { paymentId: payment.id }, null);
    expect(await captured.json()).toMatchObject({ status: "captured", capturedMinor: 2599 });
    const refund = await post("/refund", { paymentId: payment.id, amountMinor: 599, reason: "goodwill" }, "rf-1");
    expect(refund.status).toBe(200);
    expect(await refund.json()).toMatchObject({ amountMinor: 599, status: "succeeded" });
    const tooMuch = await post("/refund", { paymentId: payment.id, amountMinor: 2001, reason: "goodwill" }, "rf-2");
    expect(tooMuch.status).toBe(409);
    expect(await tooMuch.json()).toMatchObject({ code: "REFUND_EXCEEDS_CAPTURED", refundableMinor: 2000 });

    const other = (await (await post("/authorize", authorizeBody(), "k-2")).json()) as { id: string };
    const voided = await post("/void", { paymentId: other.id }, "v-1");
    expect(await voided.json()).toMatchObject({ status: "voided" });
  });

  it("answers 402 PAYMENT_DECLINED with the payment, 202 while a payment settles, 503 when the outcome is unknown", async () => {
    const declined = await post("/authorize", authorizeBody({ paymentMethodId: "pm_card_insufficient_funds" }), "k");
    expect(declined.status).toBe(402);
    expect(await declined.json()).toMatchObject({
      code: "PAYMENT_DECLINED",
      reason: "insufficient_funds",
      retryable: true,
      paymentId: expect.stringMatching(/^pay_/),
    });
    expect((await post("/authorize", authorizeBody({ paymentMethodId: "pm_card_async" }), "k")).status).toBe(202);
    const timeout = await post("/authorize", authorizeBody({ paymentMethodId: "pm_card_timeout" }), "k");
    expect(timeout.status).toBe(503);
    expect(timeout.headers.get("retry-after")).toBe("5");
    expect(await timeout.json()).toMatchObject({ code: "PAYMENT_PROVIDER_UNAVAILABLE" });
  });

  it("validates the body and requires the idempotency key where it names the operation", async () => {
    const noKey = await post("/authorize", authorizeBody(), null);
    expect(noKey.status).toBe(422);
    expect(JSON.stringify(await noKey.json())).toContain("idempotency-key");
    const bad = await post("/authorize", authorizeBody({ amountMinor: -5, currency: "eur" }), "k");
    expect(bad.status).toBe(422);
    const fields = ((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["amountMinor", "currency"]));
    expect((await post("/capture", { paymentId: newId("pay") }, null)).status).toBe(404);
  });

  it("refuses customers (403) and anonymous callers (401)", async () => {
    const customer = await registerAndLogin("customer");
    expect((await post("/authorize", authorizeBody({ userId: customer.userId }), "k", customer.accessToken)).status).toBe(403);
    expect((await post("/refund", { paymentId: newId("pay"), amountMinor: 1, reason: "goodwill" }, "k", customer.accessToken)).status).toBe(
      403,
    );
    expect((await post("/authorize", authorizeBody(), "k", null)).status).toBe(401);
  });

  it("is in the OpenAPI document with the lowercase idempotency-key header", async () => {
    const doc = (await (await api("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string; required?: boolean }[] }>>;
    };
    const params = doc.paths["/api/payments/authorize"]!.post!.parameters ?? [];
    expect(params).toContainEqual(expect.objectContaining({ name: "idempotency-key", in: "header", required: true }));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/payments/capture",
        "/api/payments/void",
        "/api/payments/refund",
        "/api/payments/{id}",
        "/api/payments/webhooks/{provider}",
      ]),
    );
  });
});

describe("reading payments (BOLA)", () => {
  let owner: TestUser;
  let stranger: TestUser;
  let support: TestUser;
  let paymentId: string;
  let orderId: string;

  beforeAll(async () => {
    [owner, stranger, support] = await Promise.all([
      registerAndLogin("customer"),
      registerAndLogin("customer"),
      registerAndLogin("support"),
    ]);
    orderId = newId("ord");
    const res = await post("/authorize", authorizeBody({ orderId, userId: owner.userId }), "bola");
    paymentId = ((await res.json()) as { id: string }).id;
  });

  it("the owner reads the payment with its refunds; another customer gets 404; support reads it; no token is 401", async () => {
    const mine = await api(`/api/payments/${paymentId}`, { token: owner.accessToken });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toMatchObject({ id: paymentId, userId: owner.userId, refunds: [] });
    const theirs = await api(`/api/payments/${paymentId}`, { token: stranger.accessToken });
    expect(theirs.status).toBe(404);
    expect((await api(`/api/payments/${paymentId}`, { token: support.accessToken })).status).toBe(200);
    expect((await api(`/api/payments/${paymentId}`, { token: null })).status).toBe(401);
  });

  it("lists by order for the owner and staff only; a customer's own list holds only theirs", async () => {
    const own = (await (await api(`/api/payments?orderId=${orderId}`, { token: owner.accessToken })).json()) as { items: { id: string }[] };
    expect(own.items.map((p) => p.id)).toEqual([paymentId]);
    expect((await api(`/api/payments?orderId=${orderId}`, { token: stranger.accessToken })).status).toBe(404);
    expect((await api(`/api/payments?userId=${owner.userId}`, { token: stranger.accessToken })).status).toBe(403);
    const strangers = (await (await api(`/api/payments`, { token: stranger.accessToken })).json()) as { items: { id: string }[] };
    expect(strangers.items.map((p) => p.id)).not.toContain(paymentId);
    const staff = (await (await api(`/api/payments?userId=${owner.userId}`, { token: support.accessToken })).json()) as {
      items: { id: string }[];
    };
    expect(staff.items.map((p) => p.id)).toEqual([paymentId]);
  });

  it("pages with a cursor and a capped limit", async () => {
    const userId = newId("usr");
    for (let i = 0; i < 3; i++) await post("/authorize", authorizeBody({ userId }), `page-${i}`);
    const first = (await (await api(`/api/payments?userId=${userId}&limit=2`)).json()) as {
      items: { id: string }[];
      nextCursor: string | null;
    };
    expect(first.items).toHaveLength(2);
    const second = (await (await api(`/api/payments?userId=${userId}&limit=2&cursor=${first.nextCursor}`)).json()) as {
      items: { id: string }[];
      nextCursor: string | null;
    };
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect((await api(`/api/payments?limit=1000`)).status).toBe(422);
  });
});
