/**
 * The Stripe adapter against fixtures in Stripe's wire format: each test
 * checks the exact request the adapter sends (method, URL, form fields in
 * order, Idempotency-Key, credentials) and what it makes of Stripe's answer.
 */
import { describe, expect, it } from "vitest";
import { signatureHeader, verifySignature } from "../../platform/webhook-signature.ts";
import events from "./fixtures/stripe-events.json";
import exchanges from "./fixtures/stripe-exchanges.json";
import { formEncode, parseStripeEvent, STRIPE_API_VERSION, StripeProvider } from "./stripe.ts";
import { type AuthorizeRequest, ProviderRefused, ProviderUnavailable } from "./types.ts";

const KEY = "sk_test_51Fixture0000000000000000";

interface Exchange {
  request?: { method: string; url: string; headers: Record<string, string>; form: string[][] };
  response: { status: number; body: unknown };
}

/** A fetch that checks the request against the fixture and answers with the fixture's response. */
function replay(...sequence: Exchange[]) {
  const seen: { url: string; init: RequestInit }[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const exchange = sequence[seen.length];
    seen.push({ url: String(input), init: init! });
    if (!exchange) throw new Error("unexpected request");
    if (exchange.request) {
      const headers = new Headers(init!.headers);
      expect(init!.method).toBe(exchange.request.method);
      expect(String(input)).toBe(exchange.request.url);
      for (const [name, value] of Object.entries(exchange.request.headers)) expect(headers.get(name)).toBe(value);
      expect(headers.get("authorization")).toBe(`Bearer ${KEY}`);
      expect([...new URLSearchParams(String(init!.body)).entries()]).toEqual(exchange.request.form);
    }
    return new Response(JSON.stringify(exchange.response.body), {
      status: exchange.response.status,
      headers: { "content-type": "application/json" },
    });
  }) as typeof fetch;
  return { fetcher, seen };
}

const authorization = (n: 1 | 2, paymentMethodId: string, amountMinor: number, currency: string): AuthorizeRequest => ({
  amountMinor,
  currency,
  paymentMethodId,
  idempotencyKey: `pay_01JA000000000000000000000${n}:authorize`,
  metadata: {
    paymentId: `pay_01JA000000000000000000000${n}`,
    orderId: `ord_01JA000000000000000000000${n}`,
    orderNumber: `EC-2026-00012${n + 2}`,
  },
});

describe("Stripe adapter: requests and answers", () => {
  it("authorises with a confirmed manual-capture PaymentIntent, sending the idempotency key", async () => {
    const { fetcher, seen } = replay(exchanges.authorizeApproved);
    const result = await new StripeProvider(KEY, fetcher).authorize(authorization(1, "pm_card_visa", 4999, "EUR"));
    expect(result).toEqual({
      providerPaymentId: "pi_3PkQ2mLkdIwHu7ix0ABCDEF1",
      status: "authorized",
      amountCapturedMinor: 0,
      failureReason: null,
    });
    expect(seen).toHaveLength(1);
    expect(new Headers(seen[0]!.init.headers).get("stripe-version")).toBe(STRIPE_API_VERSION);
  });

  it("turns a 402 card error into a failed result with the customer's reason", async () => {
    const { fetcher } = replay(exchanges.authorizeDeclined);
    const result = await new StripeProvider(KEY, fetcher).authorize(
      authorization(2, "pm_card_visa_chargeDeclinedInsufficientFunds", 1200, "USD"),
    );
    expect(result).toEqual({
      providerPaymentId: "pi_3PkQ3nLkdIwHu7ix1DECLINE",
      status: "failed",
      amountCapturedMinor: 0,
      failureReason: "insufficient_funds",
    });
  });

  it("reports a processing PaymentIntent as pending settlement", async () => {
    const { fetcher } = replay(exchanges.authorizeProcessing);
    const result = await new StripeProvider(KEY, fetcher).authorize(authorization(1, "pm_card_visa", 800, "EUR"));
    expect(result.status).toBe("pending_settlement");
  });

  it("captures, cancels and refunds with keys derived from the payment and the refund", async () => {
    const stripe = new StripeProvider(KEY, replay(exchanges.capture, exchanges.cancel, exchanges.refund).fetcher);
    expect(
      await stripe.capture({
        providerPaymentId: "pi_3PkQ2mLkdIwHu7ix0ABCDEF1",
        amountMinor: 4999,
        idempotencyKey: "pay_01JA0000000000000000000001:capture",
      }),
    ).toEqual({
      providerPaymentId: "pi_3PkQ2mLkdIwHu7ix0ABCDEF1",
      status: "captured",
      amountCapturedMinor: 4999,
      failureReason: null,
    });
    const voided = await stripe.void({
      providerPaymentId: "pi_3PkQ2mLkdIwHu7ix0ABCDEF1",
      authorization: authorization(1, "pm_card_visa", 4999, "EUR"),
      idempotencyKey: "pay_01JA0000000000000000000001:void",
    });
    expect(voided?.status).toBe("voided");
    const refund = await stripe.refund({
      providerPaymentId: "pi_3PkQ2mLkdIwHu7ix0ABCDEF1",
      amountMinor: 1500,
      currency: "EUR",
      idempotencyKey: "rfd_01JA0000000000000000000001",
      metadata: { payment_id: "pay_01JA0000000000000000000001", refund_id: "rfd_01JA0000000000000000000001" },
    });
    expect(refund).toEqual({ providerRefundId: "re_3PkQ2mLkdIwHu7ix0REFUND1", status: "succeeded", amountMinor: 1500 });
  });

  it("voids an authorisation whose answer was lost by replaying the create under the same key, then cancelling", async () => {
    const { fetcher, seen } = replay(exchanges.authorizeApproved, exchanges.cancel);
    const voided = await new StripeProvider(KEY, fetcher).void({
      providerPaymentId: null,
      authorization: authorization(1, "pm_card_visa", 4999, "EUR"),
      idempotencyKey: "pay_01JA0000000000000000000001:void",
    });
    expect(voided?.status).toBe("voided");
    expect(seen.map((s) => s.url)).toEqual([
      "https://api.stripe.com/v1/payment_intents",
      "https://api.stripe.com/v1/payment_intents/pi_3PkQ2mLkdIwHu7ix0ABCDEF1/cancel",
    ]);
  });

  it("maps errors: unexpected state and key reuse are refusals; 429, 409, 5xx and network failures are unknown outcomes", async () => {
    const capture = (exchange: Exchange) =>
      new StripeProvider(KEY, replay(exchange).fetcher).capture({ providerPaymentId: "pi_x", amountMinor: 1, idempotencyKey: "k" });
    await expect(capture(exchanges.captureUnexpectedState)).rejects.toMatchObject({ name: "ProviderRefused", code: "invalid_state" });
    await expect(capture(exchanges.idempotencyMismatch)).rejects.toMatchObject({ name: "ProviderRefused", code: "idempotency_mismatch" });
    for (const exchange of [exchanges.rateLimited, exchanges.serverError, exchanges.idempotencyKeyInUse])
      await expect(capture(exchange)).rejects.toBeInstanceOf(ProviderUnavailable);
    const offline = new StripeProvider(KEY, (() => Promise.reject(new TypeError("network connection lost"))) as typeof fetch);
    await expect(offline.capture({ providerPaymentId: "pi_x", amountMinor: 1, idempotencyKey: "k" })).rejects.toBeInstanceOf(
      ProviderUnavailable,
    );
    await expect(capture(exchanges.captureUnexpectedState)).rejects.toBeInstanceOf(ProviderRefused);
  });

  it("form-encodes nested objects and arrays the way Stripe reads them", () => {
    expect(decodeURIComponent(formEncode({ a: 1, b: { c: "x y", d: ["p", "q"] }, e: undefined, f: true }))).toBe(
      "a=1&b[c]=x y&b[d][0]=p&b[d][1]=q&f=true",
    );
  });
});

describe("Stripe webhooks", () => {
  const secret = "whsec_test_fixture_secret";

  it("verifies a Stripe-Signature header over the raw body and reads the events", async () => {
    const body = JSON.stringify(events.amountCapturableUpdated);
    const header = await signatureHeader([secret], body, events.amountCapturableUpdated.created);
    expect(header).toMatch(/^t=1722950001,v1=[0-9a-f]{64}$/);
    const stripe = new StripeProvider(KEY, replay().fetcher);
    expect(await stripe.verifyWebhook(new Headers({ "Stripe-Signature": header }), body, [secret], 1722950001_000 + 60_000)).toEqual({
      ok: true,
      timestamp: 1722950001,
    });
    expect(
      await stripe.verifyWebhook(
        new Headers({ "Stripe-Signature": header }),
        body.replace("4999", "4998"),
        [secret],
        1722950001_000 + 60_000,
      ),
    ).toEqual({ ok: false, reason: "no_matching_signature" });
    expect(await verifySignature({ header, rawBody: body, secrets: [secret], now: 1722950001_000 + 400_000 })).toEqual({
      ok: false,
      reason: "stale_timestamp",
    });
    expect(parseStripeEvent(body)).toMatchObject({
      id: "evt_3PkQ2mLkdIwHu7ix0EVT0001",
      kind: "payment",
      providerPaymentId: "pi_3PkQ2mLkdIwHu7ix0ABCDEF1",
      paymentId: "pay_01JA0000000000000000000001",
      status: "authorized",
    });
    expect(parseStripeEvent(body).occurredAt?.toISOString()).toBe(new Date(1722950001_000).toISOString());
  });

  it("maps succeeded, failed, refund and unknown event types", () => {
    expect(parseStripeEvent(JSON.stringify(events.succeeded))).toMatchObject({
      kind: "payment",
      status: "captured",
      amountCapturedMinor: 4999,
    });
    expect(parseStripeEvent(JSON.stringify(events.paymentFailed))).toMatchObject({
      kind: "payment",
      status: "failed",
      failureReason: "expired_card",
    });
    expect(parseStripeEvent(JSON.stringify(events.refundUpdated))).toMatchObject({
      kind: "refund",
      providerPaymentId: "pi_3PkQ2mLkdIwHu7ix0ABCDEF1",
      refund: { providerRefundId: "re_3PkQ2mLkdIwHu7ix0REFUND1", status: "succeeded", amountMinor: 1500 },
    });
    expect(parseStripeEvent(JSON.stringify(events.disputeCreated))).toMatchObject({ kind: "unknown", type: "charge.dispute.created" });
    expect(() => parseStripeEvent('{"hello":"world"}')).toThrow();
  });
});
