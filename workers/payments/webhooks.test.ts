/**
 * POST /api/payments/webhooks/sandbox over HTTP: signature cases, async
 * settlement, duplicates (also concurrent), out-of-order and unknown events.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testEnv, withTestDb } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import { outboxEvents } from "../../test/helpers/identity.ts";
import { newId } from "../platform/ids.ts";
import { signatureHeader } from "../platform/webhook-signature.ts";
import { capturePayment, getPayment, refundPayment } from "./service.ts";
import { authorize, sandboxEventBody, sandboxIntents, sendWebhook, WEBHOOK_SECRETS } from "./test-support.ts";

const payment = async (id: string) => (await withTestDb((db) => getPayment(db, id)))!;
const now = () => Math.floor(Date.now() / 1000);

async function pending() {
  const p = await authorize({ paymentMethodId: "pm_card_async" });
  expect(p.status).toBe("pending_settlement");
  return p;
}

describe("payment webhooks: signatures", () => {
  it("refuses a missing header, a wrong secret, a one-byte change and a stale timestamp, and applies nothing", async () => {
    const p = await pending();
    const body = sandboxEventBody({ type: "payment.succeeded", object: { id: p.providerPaymentId } });
    const tampered = body.replace(
      p.providerPaymentId!,
      p.providerPaymentId!.slice(0, -1) + (p.providerPaymentId!.endsWith("A") ? "B" : "A"),
    );
    expect(tampered.length).toBe(body.length);
    const attempts = [
      sendWebhook(body, { header: null }),
      sendWebhook(body, { secrets: ["whsec_not_ours_0123456789"] }),
      sendWebhook(tampered, { header: await signatureHeader([WEBHOOK_SECRETS[0]!], body) }),
      sendWebhook(body, { timestamp: now() - 6 * 60 }),
      sendWebhook(body, { header: "t=123" }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: "INVALID_WEBHOOK_SIGNATURE" });
    }
    expect((await payment(p.id)).status).toBe("pending_settlement");
    expect((await sandboxIntents(p.id))[0]!.status).toBe("processing");
  });

  it("accepts two signatures during the provider's rotation, and our previous secret alone", async () => {
    const p = await pending();
    const both = await sendWebhook(sandboxEventBody({ type: "payment.succeeded", object: { id: p.providerPaymentId } }), {
      secrets: ["whsec_retired_elsewhere_0123", WEBHOOK_SECRETS[0]!],
    });
    expect(both.status).toBe(200);
    const q = await pending();
    const old = await sendWebhook(sandboxEventBody({ type: "payment.succeeded", object: { id: q.providerPaymentId } }), {
      secrets: [WEBHOOK_SECRETS[1]!],
    });
    expect(old.status).toBe(200);
    expect((await payment(p.id)).status).toBe("authorized");
    expect((await payment(q.id)).status).toBe("authorized");
  });

  it("answers 404 for a provider that is not configured, and 400 for a signed body that is not an event", async () => {
    const stripe = await api("/api/payments/webhooks/stripe", {
      method: "POST",
      token: null,
      headers: { "stripe-signature": await signatureHeader([WEBHOOK_SECRETS[0]!], "{}") },
      body: "{}",
    });
    expect(stripe.status).toBe(404);
    const notAnEvent = await sendWebhook('{"hello":"world"}');
    expect(notAnEvent.status).toBe(400);
  });
});

describe("payment webhooks: settlement", () => {
  it("payment.succeeded settles a pending payment: authorised, announced, capturable", async () => {
    const p = await pending();
    const res = await sendWebhook(sandboxEventBody({ type: "payment.succeeded", object: { id: p.providerPaymentId } }));
    expect(await res.json()).toMatchObject({ received: true, outcome: "applied", paymentId: p.id });
    expect((await payment(p.id)).status).toBe("authorized");
    expect((await sandboxIntents(p.id))[0]!.status).toBe("requires_capture");
    expect((await outboxEvents<{ stage: string }>(p.id, "PaymentProcessed")).map((e) => e.payload.stage)).toEqual(["authorized"]);
    const captured = await withTestDb((db) => capturePayment(testEnv, db, { paymentId: p.id, idempotencyKey: "c", correlationId: "t" }));
    expect(captured.status).toBe("captured");
  });

  it("payment.failed fails it with the reason, and PaymentFailed", async () => {
    const p = await pending();
    const res = await sendWebhook(
      sandboxEventBody({ type: "payment.failed", object: { id: p.providerPaymentId, failure_code: "insufficient_funds" } }),
    );
    expect(await res.json()).toMatchObject({ outcome: "applied" });
    expect(await payment(p.id)).toMatchObject({ status: "failed", failureReason: "insufficient_funds", retryable: true });
    expect((await outboxEvents<{ reason: string }>(p.id, "PaymentFailed")).map((e) => e.payload.reason)).toEqual(["insufficient_funds"]);
  });

  it("a duplicate delivery, also concurrent, has one effect", async () => {
    const p = await pending();
    const body = sandboxEventBody({ id: newId("evt"), type: "payment.succeeded", object: { id: p.providerPaymentId } });
    const answers = await Promise.all(
      [sendWebhook(body), sendWebhook(body), sendWebhook(body)].map(async (r) => (await (await r).json()) as { outcome: string }),
    );
    expect(answers.map((a) => a.outcome).sort()).toEqual(["applied", "duplicate", "duplicate"]);
    const later = (await (await sendWebhook(body)).json()) as { outcome: string };
    expect(later.outcome).toBe("duplicate");
    expect(await outboxEvents(p.id, "PaymentProcessed")).toHaveLength(1);
  });

  it("out of order: an older event after a newer one is recorded and ignored", async () => {
    const p = await pending();
    const t = now();
    await sendWebhook(sandboxEventBody({ type: "payment.succeeded", object: { id: p.providerPaymentId }, created: t }));
    const older = (await (
      await sendWebhook(
        sandboxEventBody({ type: "payment.failed", object: { id: p.providerPaymentId, failure_code: "card_declined" }, created: t - 60 }),
      )
    ).json()) as { outcome: string };
    expect(older.outcome).toBe("stale");
    expect((await payment(p.id)).status).toBe("authorized");
    expect(await outboxEvents(p.id, "PaymentFailed")).toEqual([]);
  });

  it("never moves a payment backwards: a late 'authorised' after the capture changes nothing", async () => {
    const p = await authorize();
    await withTestDb((db) => capturePayment(testEnv, db, { paymentId: p.id, idempotencyKey: "c", correlationId: "t" }));
    const late = (await (
      await sendWebhook(sandboxEventBody({ type: "payment.succeeded", object: { id: p.providerPaymentId } }))
    ).json()) as { outcome: string };
    expect(late.outcome).toBe("stale");
    const again = (await (
      await sendWebhook(sandboxEventBody({ type: "payment.captured", object: { id: p.providerPaymentId, amount_captured: 5000 } }))
    ).json()) as { outcome: string };
    expect(again.outcome).toBe("unchanged");
    expect((await payment(p.id)).status).toBe("captured");
    expect(await outboxEvents(p.id, "PaymentProcessed")).toHaveLength(2);
  });

  it("a refund event for a refund already settled does not count it twice", async () => {
    const p = await authorize({ amountMinor: 2000 });
    await withTestDb((db) => capturePayment(testEnv, db, { paymentId: p.id, idempotencyKey: "c", correlationId: "t" }));
    await withTestDb((db) =>
      refundPayment(testEnv, db, { paymentId: p.id, amountMinor: 500, reason: "goodwill", idempotencyKey: "r", correlationId: "t" }),
    );
    const providerRefundId = await withTestDb(
      async (db) =>
        (await db.execute<{ provider_refund_id: string }>(sql`select provider_refund_id from payments.refunds where payment_id = ${p.id}`))
          .rows[0]!.provider_refund_id,
    );
    const res = (await (
      await sendWebhook(
        sandboxEventBody({ type: "refund.succeeded", object: { id: providerRefundId, payment: p.providerPaymentId, amount: 500 } }),
      )
    ).json()) as { outcome: string };
    expect(res.outcome).toBe("stale");
    expect(await payment(p.id)).toMatchObject({ refundedMinor: 500, status: "partially_refunded" });
    expect(await outboxEvents(p.id, "RefundIssued")).toHaveLength(1);
  });

  it("acknowledges unknown event types and events for payments it does not know", async () => {
    const unknown = (await (await sendWebhook(sandboxEventBody({ type: "dispute.created", object: { id: "dp_1" } }))).json()) as {
      outcome: string;
    };
    expect(unknown.outcome).toBe("ignored");
    const stranger = await sendWebhook(sandboxEventBody({ type: "payment.succeeded", object: { id: "sbpi_nobody" } }));
    expect(stranger.status).toBe(200);
    expect(((await stranger.json()) as { outcome: string }).outcome).toBe("unmatched");
  });
});
