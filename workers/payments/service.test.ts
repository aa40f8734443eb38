/**
 * The payments service against the sandbox provider and a real Postgres:
 * each test payment method, idempotent retries (also across an injected
 * crash between the provider's answer and our record, and under concurrent
 * duplicates), and the compensations.
 */
import { describe, expect, it } from "vitest";
import { testEnv, withTestDb } from "../../test/helpers/db.ts";
import { injectFault } from "../../test/helpers/events.ts";
import { outboxEvents } from "../../test/helpers/identity.ts";
import { newId } from "../platform/ids.ts";
import { AFTER_PROVIDER, authorizePayment, capturePayment, getPayment, paymentsForOrder, voidPayment } from "./service.ts";
import { authorize, authorizeInput, sandboxIntents, sandboxReplays } from "./test-support.ts";

const capture = (paymentId: string, key = `capture:${paymentId}`) =>
  withTestDb((db) => capturePayment(testEnv, db, { paymentId, idempotencyKey: key, correlationId: "test" }));
const voidIt = (paymentId: string, key = `void:${paymentId}`) =>
  withTestDb((db) => voidPayment(testEnv, db, { paymentId, idempotencyKey: key, correlationId: "test" }));

describe("sandbox test cards", () => {
  it("pm_card_visa authorises, then captures, announcing each stage", async () => {
    const authorized = await authorize({ amountMinor: 4999 });
    expect(authorized).toMatchObject({
      status: "authorized",
      provider: "sandbox",
      amountMinor: 4999,
      capturedMinor: 0,
      failureReason: null,
    });
    expect(authorized.providerPaymentId).toMatch(/^sbpi_/);
    const captured = await capture(authorized.id);
    expect(captured).toMatchObject({ status: "captured", capturedMinor: 4999 });
    const processed = await outboxEvents<{ stage: string; amountMinor: number; orderId: string }>(authorized.id, "PaymentProcessed");
    expect(processed.map((e) => e.payload.stage)).toEqual(["authorized", "captured"]);
    expect(processed[0]!.payload.orderId).toBe(authorized.orderId);
    expect((await sandboxIntents(authorized.id))[0]).toMatchObject({ status: "succeeded" });
  });

  it.each([
    ["pm_card_declined", "card_declined", true],
    ["pm_card_insufficient_funds", "insufficient_funds", true],
    ["pm_card_expired", "expired_card", true],
    ["pm_card_fraudulent", "fraud_suspected", false],
  ] as const)("%s is declined with %s (retryable: %s) and PaymentFailed", async (paymentMethodId, reason, retryable) => {
    const payment = await authorize({ paymentMethodId });
    expect(payment).toMatchObject({ status: "failed", failureReason: reason, retryable });
    const failed = await outboxEvents<{ reason: string; retryable: boolean }>(payment.id, "PaymentFailed");
    expect(failed.map((e) => e.payload)).toEqual([expect.objectContaining({ reason, retryable })]);
    expect(await outboxEvents(payment.id, "PaymentProcessed")).toEqual([]);
  });

  it("pm_card_timeout: every call is 503 with the outcome unknown; a later void releases what the sandbox did hold", async () => {
    const input = authorizeInput({ paymentMethodId: "pm_card_timeout" });
    for (let i = 0; i < 2; i++)
      await expect(withTestDb((db) => authorizePayment(testEnv, db, input))).rejects.toMatchObject({
        status: 503,
        code: "PAYMENT_PROVIDER_UNAVAILABLE",
      });
    const [payment] = await withTestDb((db) => paymentsForOrder(db, input.orderId));
    expect(payment).toMatchObject({ status: "authorizing", providerPaymentId: null });
    // The request did reach the sandbox (once): only the answers were lost.
    expect(await sandboxIntents(payment!.id)).toEqual([expect.objectContaining({ status: "requires_capture" })]);
    const voided = await voidIt(payment!.id);
    expect(voided.status).toBe("voided");
    expect(voided.providerPaymentId).toMatch(/^sbpi_/);
    expect(await sandboxIntents(payment!.id)).toEqual([expect.objectContaining({ status: "canceled" })]);
  });

  it("pm_card_async answers pending settlement, without an event yet", async () => {
    const payment = await authorize({ paymentMethodId: "pm_card_async" });
    expect(payment.status).toBe("pending_settlement");
    expect(await outboxEvents(payment.id, "PaymentProcessed")).toEqual([]);
    expect((await sandboxIntents(payment.id))[0]!.status).toBe("processing");
  });

  it("pm_card_capture_fails: the capture is refused (processing_error), PaymentFailed, and the hold is released", async () => {
    const payment = await authorize({ paymentMethodId: "pm_card_capture_fails" });
    expect(payment.status).toBe("authorized");
    const failed = await capture(payment.id);
    expect(failed).toMatchObject({ status: "failed", failureReason: "processing_error", retryable: true, capturedMinor: 0 });
    expect((await outboxEvents<{ reason: string }>(payment.id, "PaymentFailed")).map((e) => e.payload.reason)).toEqual([
      "processing_error",
    ]);
    expect((await sandboxIntents(payment.id))[0]!.status).toBe("canceled");
    // A void afterwards (the saga's compensation) returns it as it is.
    expect((await voidIt(payment.id)).status).toBe("failed");
  });
});

describe("idempotent retries", () => {
  it("the same key returns the same payment, and the sandbox authorises once", async () => {
    const input = authorizeInput();
    const first = await withTestDb((db) => authorizePayment(testEnv, db, input));
    const again = await withTestDb((db) => authorizePayment(testEnv, db, { ...input, correlationId: "retry" }));
    expect(again.id).toBe(first.id);
    expect(again.status).toBe("authorized");
    expect(await sandboxIntents(first.id)).toHaveLength(1);
    // Settled payments are answered from our record, without asking the provider again.
    expect(await sandboxReplays(`${first.id}:authorize`)).toBe(0);
  });

  it("a crash between the provider's answer and our record: the retry with the same key finds the same authorisation", async () => {
    const input = authorizeInput();
    await injectFault(AFTER_PROVIDER, input.idempotencyKey, 1);
    await expect(withTestDb((db) => authorizePayment(testEnv, db, input))).rejects.toThrow(/injected fault/);
    const [stuck] = await withTestDb((db) => paymentsForOrder(db, input.orderId));
    expect(stuck).toMatchObject({ status: "authorizing" });
    expect(await sandboxIntents(stuck!.id)).toHaveLength(1);

    const retried = await withTestDb((db) => authorizePayment(testEnv, db, input));
    expect(retried).toMatchObject({ id: stuck!.id, status: "authorized" });
    expect(await sandboxIntents(stuck!.id)).toHaveLength(1);
    expect(await sandboxReplays(`${stuck!.id}:authorize`)).toBe(1);
    expect(await outboxEvents(stuck!.id, "PaymentProcessed")).toHaveLength(1);
  });

  it("concurrent duplicates with one key: one payment, one authorisation, one event", async () => {
    const input = authorizeInput();
    const results = await Promise.all(Array.from({ length: 6 }, () => withTestDb((db) => authorizePayment(testEnv, db, input))));
    expect(new Set(results.map((p) => p.id)).size).toBe(1);
    expect(results.every((p) => p.status === "authorized")).toBe(true);
    expect(await withTestDb((db) => paymentsForOrder(db, input.orderId))).toHaveLength(1);
    expect(await sandboxIntents(results[0]!.id)).toHaveLength(1);
    expect(await outboxEvents(results[0]!.id, "PaymentProcessed")).toHaveLength(1);
  });

  it("a key reused for another amount is refused; another key is another payment attempt", async () => {
    const input = authorizeInput({ paymentMethodId: "pm_card_declined" });
    const declined = await withTestDb((db) => authorizePayment(testEnv, db, input));
    await expect(withTestDb((db) => authorizePayment(testEnv, db, { ...input, amountMinor: 1 }))).rejects.toMatchObject({
      status: 422,
      code: "IDEMPOTENCY_KEY_REUSED",
    });
    const second = await withTestDb((db) =>
      authorizePayment(testEnv, db, { ...input, paymentMethodId: "pm_card_visa", idempotencyKey: `${input.idempotencyKey}:2` }),
    );
    expect(second.id).not.toBe(declined.id);
    expect((await withTestDb((db) => paymentsForOrder(db, input.orderId))).map((p) => p.status)).toEqual(["failed", "authorized"]);
  });

  it("a capture retried after a crash captures once", async () => {
    const payment = await authorize();
    const key = `capture:${payment.id}`;
    await injectFault(AFTER_PROVIDER, key, 1);
    await expect(capture(payment.id, key)).rejects.toThrow(/injected fault/);
    expect((await withTestDb((db) => getPayment(db, payment.id)))!.status).toBe("authorized");
    expect((await capture(payment.id, key)).status).toBe("captured");
    expect(await sandboxReplays(`${payment.id}:capture`)).toBe(1);
    expect((await outboxEvents<{ stage: string }>(payment.id, "PaymentProcessed")).map((e) => e.payload.stage)).toEqual([
      "authorized",
      "captured",
    ]);
  });
});

describe("capture and void", () => {
  it("refuses to capture a voided payment and to void a captured one", async () => {
    const voided = await voidIt((await authorize()).id);
    expect(voided.status).toBe("voided");
    await expect(capture(voided.id)).rejects.toMatchObject({ status: 409, code: "PAYMENT_STATE_CONFLICT" });
    expect((await voidIt(voided.id)).status).toBe("voided");

    const captured = await capture((await authorize()).id);
    await expect(voidIt(captured.id)).rejects.toMatchObject({ status: 409, code: "PAYMENT_STATE_CONFLICT" });
    expect((await capture(captured.id, "another-key")).status).toBe("captured");
  });

  it("a capture racing a void: exactly one wins, and our record agrees with the provider", async () => {
    const payment = await authorize();
    const [c, v] = await Promise.allSettled([capture(payment.id), voidIt(payment.id)]);
    expect([c.status, v.status].filter((s) => s === "fulfilled")).toHaveLength(1);
    const final = (await withTestDb((db) => getPayment(db, payment.id)))!;
    const intent = (await sandboxIntents(payment.id))[0]!;
    expect([final.status, intent.status]).toEqual(final.status === "captured" ? ["captured", "succeeded"] : ["voided", "canceled"]);
  });

  it("an unknown payment is a 404", async () => {
    await expect(capture(newId("pay"))).rejects.toMatchObject({ status: 404 });
    expect(await withTestDb((db) => getPayment(db, newId("pay")))).toBeNull();
  });
});
