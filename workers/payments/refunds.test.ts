/** Refunds: partial and full, never more than captured (also when raced), idempotent across a crash. */
import { describe, expect, it } from "vitest";
import { testEnv, withTestDb } from "../../test/helpers/db.ts";
import { injectFault } from "../../test/helpers/events.ts";
import { outboxEvents } from "../../test/helpers/identity.ts";
import { AFTER_PROVIDER, capturePayment, getPayment, refundPayment } from "./service.ts";
import { authorize, sandboxIntents, sandboxRefundCount } from "./test-support.ts";

async function captured(amountMinor: number) {
  const p = await authorize({ amountMinor });
  return withTestDb((db) => capturePayment(testEnv, db, { paymentId: p.id, idempotencyKey: `capture:${p.id}`, correlationId: "test" }));
}

const refund = (paymentId: string, amountMinor: number, idempotencyKey: string) =>
  withTestDb((db) => refundPayment(testEnv, db, { paymentId, amountMinor, reason: "goodwill", idempotencyKey, correlationId: "test" }));

const payment = async (id: string) => (await withTestDb((db) => getPayment(db, id)))!;

describe("refunds", () => {
  it("refunds in parts up to the captured amount, then refuses with REFUND_EXCEEDS_CAPTURED", async () => {
    const p = await captured(5000);
    const first = await refund(p.id, 2000, "r1");
    expect(first).toMatchObject({ paymentId: p.id, amountMinor: 2000, currency: "EUR", reason: "goodwill", status: "succeeded" });
    expect(await payment(p.id)).toMatchObject({ status: "partially_refunded", refundedMinor: 2000, capturedMinor: 5000 });

    await expect(refund(p.id, 3001, "r2")).rejects.toMatchObject({
      status: 409,
      code: "REFUND_EXCEEDS_CAPTURED",
      extras: { refundableMinor: 3000 },
    });
    const rest = await refund(p.id, 3000, "r3");
    expect(rest.status).toBe("succeeded");
    expect(await payment(p.id)).toMatchObject({ status: "refunded", refundedMinor: 5000 });
    await expect(refund(p.id, 1, "r4")).rejects.toMatchObject({ status: 409, code: "REFUND_EXCEEDS_CAPTURED" });

    const issued = await outboxEvents<{ refundId: string; amountMinor: number; reason: string }>(p.id, "RefundIssued");
    expect(issued.map((e) => [e.payload.refundId, e.payload.amountMinor])).toEqual([
      [first.id, 2000],
      [rest.id, 3000],
    ]);
    expect((await sandboxIntents(p.id))[0]).toMatchObject({ amount_refunded: "5000" });
  });

  it("a repeat with the same key is the same refund, with no second effect; another amount under that key is refused", async () => {
    const p = await captured(3000);
    const a = await refund(p.id, 1000, "same-key");
    const b = await refund(p.id, 1000, "same-key");
    expect(b.id).toBe(a.id);
    expect(await payment(p.id)).toMatchObject({ refundedMinor: 1000 });
    expect(await outboxEvents(p.id, "RefundIssued")).toHaveLength(1);
    expect(await sandboxRefundCount(p.providerPaymentId!)).toBe(1);
    await expect(refund(p.id, 999, "same-key")).rejects.toMatchObject({ status: 422, code: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("concurrent refunds never return more than was captured", async () => {
    const p = await captured(1000);
    const results = await Promise.allSettled(["a", "b", "c", "d"].map((k) => refund(p.id, 600, `race-${k}`)));
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    for (const r of refused) expect(r.reason).toMatchObject({ code: "REFUND_EXCEEDS_CAPTURED" });
    expect(await payment(p.id)).toMatchObject({ refundedMinor: 600, status: "partially_refunded" });
    expect((await sandboxIntents(p.id))[0]).toMatchObject({ amount_refunded: "600" });
  });

  it("a crash after the provider refunded: the retry with the same key completes the same refund", async () => {
    const p = await captured(2500);
    await injectFault(AFTER_PROVIDER, "crash-refund", 1);
    await expect(refund(p.id, 2500, "crash-refund")).rejects.toThrow(/injected fault/);
    // In flight: the amount is held back from other refunds meanwhile.
    await expect(refund(p.id, 1, "other")).rejects.toMatchObject({ code: "REFUND_EXCEEDS_CAPTURED" });
    const done = await refund(p.id, 2500, "crash-refund");
    expect(done.status).toBe("succeeded");
    expect(await payment(p.id)).toMatchObject({ status: "refunded", refundedMinor: 2500 });
    expect(await sandboxRefundCount(p.providerPaymentId!)).toBe(1);
    expect(await outboxEvents(p.id, "RefundIssued")).toHaveLength(1);
  });

  it("refuses a refund of a payment that was only authorised", async () => {
    const p = await authorize({ amountMinor: 700 });
    await expect(refund(p.id, 100, "k")).rejects.toMatchObject({
      status: 409,
      code: "REFUND_EXCEEDS_CAPTURED",
      extras: { refundableMinor: 0 },
    });
  });
});
