/**
 * Stripe over its HTTP API (form-encoded requests, JSON answers): a
 * PaymentIntent created with `capture_method=manual` and `confirm=true`
 * authorises; `/capture` captures, `/cancel` voids, `/v1/refunds` refunds.
 * Every POST carries an `Idempotency-Key`, so Stripe answers a repeat with
 * the first response. `fetch` is injected, so the wire format is tested
 * against recorded exchanges without a network.
 */
import { type VerifyResult, verifySignature } from "../../platform/webhook-signature.ts";
import {
  type AuthorizeRequest,
  type FailureReason,
  type IntentResult,
  type IntentStatus,
  isFailureReason,
  type PaymentProvider,
  ProviderRefused,
  ProviderUnavailable,
  type RefundResult,
  type WebhookEvent,
} from "./types.ts";

export const STRIPE_API_VERSION = "2024-06-20";

interface StripeIntent {
  id: string;
  object: "payment_intent";
  status: string;
  amount: number;
  amount_received?: number;
  last_payment_error?: StripeErrorBody | null;
}
interface StripeErrorBody {
  type?: string;
  code?: string;
  decline_code?: string;
  message?: string;
  payment_intent?: StripeIntent;
}

const STATUS: Record<string, IntentStatus> = {
  requires_capture: "authorized",
  processing: "pending_settlement",
  requires_action: "requires_action",
  requires_confirmation: "requires_action",
  succeeded: "captured",
  canceled: "voided",
  requires_payment_method: "failed",
};

const FRAUD = new Set(["fraudulent", "stolen_card", "lost_card", "pickup_card", "merchant_blacklist"]);

/** Stripe's error and decline codes, in the reasons a customer can act on. */
export function failureReasonOf(error: StripeErrorBody | null | undefined): FailureReason {
  const codes = [error?.decline_code, error?.code];
  if (codes.some((c) => c && FRAUD.has(c))) return "fraud_suspected";
  for (const c of codes) if (c && c !== "card_declined" && isFailureReason(c)) return c;
  if (codes.includes("incorrect_cvc") || codes.includes("invalid_expiry_year")) return "card_declined";
  return error?.type === "api_error" ? "processing_error" : "card_declined";
}

export function intentResult(intent: StripeIntent): IntentResult {
  const status = STATUS[intent.status] ?? "failed";
  return {
    providerPaymentId: intent.id,
    status,
    amountCapturedMinor: intent.amount_received ?? 0,
    failureReason: status === "failed" ? failureReasonOf(intent.last_payment_error) : null,
  };
}

/** Stripe's form encoding: nested objects as `a[b]=c`, arrays as `a[0]=x`. */
export function formEncode(params: Record<string, unknown>, prefix = ""): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const name = prefix ? `${prefix}[${key}]` : key;
    if (typeof value === "object")
      parts.push(
        formEncode(
          Array.isArray(value) ? Object.fromEntries(value.map((v, i) => [String(i), v])) : (value as Record<string, unknown>),
          name,
        ),
      );
    else parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  }
  return parts.filter(Boolean).join("&");
}

export class StripeProvider implements PaymentProvider {
  readonly name = "stripe" as const;
  readonly signatureHeader = "stripe-signature";

  constructor(
    private readonly secretKey: string,
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
    private readonly options: { apiBase?: string; timeoutMs?: number } = {},
  ) {}

  /** One POST; a card error comes back as `{ cardError }`, anything with an unknown outcome throws ProviderUnavailable. */
  private async post(
    path: string,
    params: Record<string, unknown>,
    idempotencyKey: string,
  ): Promise<{ body: Record<string, unknown> } | { cardError: StripeErrorBody }> {
    let res: Response;
    try {
      res = await this.fetcher(`${this.options.apiBase ?? "https://api.stripe.com"}${path}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${this.secretKey}`,
          "content-type": "application/x-www-form-urlencoded",
          "idempotency-key": idempotencyKey,
          "stripe-version": STRIPE_API_VERSION,
        },
        body: formEncode(params),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new ProviderUnavailable(`stripe: ${err instanceof Error ? err.message : String(err)}`);
    }
    let body: Record<string, unknown>;
    try {
      body = (await res.json()) as Record<string, unknown>;
    } catch {
      throw new ProviderUnavailable(`stripe: unreadable answer with status ${res.status}`);
    }
    if (res.ok) return { body };
    const error = (body.error ?? {}) as StripeErrorBody;
    if (res.status === 402 && error.type === "card_error") return { cardError: error };
    // 409: a request with this key is still in flight; 429 and 5xx: try again later; 401/403: our credentials.
    if (res.status === 409 || res.status === 429 || res.status >= 500 || res.status === 401 || res.status === 403)
      throw new ProviderUnavailable(`stripe: ${res.status} ${error.message ?? ""}`.trim());
    if (error.type === "idempotency_error") throw new ProviderRefused("idempotency_mismatch", error.message ?? "idempotency key reused");
    if (error.code === "payment_intent_unexpected_state") throw new ProviderRefused("invalid_state", error.message ?? "unexpected state");
    if (error.code === "amount_too_large" || error.code === "charge_exceeds_source_limit")
      throw new ProviderRefused("amount_too_large", error.message ?? "amount too large");
    throw new ProviderRefused("invalid_request", `stripe: ${res.status} ${error.code ?? ""} ${error.message ?? ""}`.trim());
  }

  private intentOrDecline(answer: { body: Record<string, unknown> } | { cardError: StripeErrorBody }): IntentResult {
    if ("body" in answer) return intentResult(answer.body as unknown as StripeIntent);
    const intent = answer.cardError.payment_intent;
    if (!intent)
      throw new ProviderRefused("invalid_request", `stripe: card error without a payment intent: ${answer.cardError.message ?? ""}`);
    return { providerPaymentId: intent.id, status: "failed", amountCapturedMinor: 0, failureReason: failureReasonOf(answer.cardError) };
  }

  private createParams(req: AuthorizeRequest) {
    return {
      amount: req.amountMinor,
      currency: req.currency.toLowerCase(),
      payment_method: req.paymentMethodId,
      payment_method_types: ["card"],
      capture_method: "manual",
      confirm: true,
      metadata: { payment_id: req.metadata.paymentId, order_id: req.metadata.orderId, order_number: req.metadata.orderNumber },
    };
  }

  async authorize(req: AuthorizeRequest): Promise<IntentResult> {
    return this.intentOrDecline(await this.post("/v1/payment_intents", this.createParams(req), req.idempotencyKey));
  }

  async capture(req: { providerPaymentId: string; amountMinor: number; idempotencyKey: string }): Promise<IntentResult> {
    const answer = await this.post(
      `/v1/payment_intents/${encodeURIComponent(req.providerPaymentId)}/capture`,
      { amount_to_capture: req.amountMinor },
      req.idempotencyKey,
    );
    if ("cardError" in answer)
      return {
        providerPaymentId: req.providerPaymentId,
        status: "failed",
        amountCapturedMinor: 0,
        failureReason: failureReasonOf(answer.cardError),
      };
    return intentResult(answer.body as unknown as StripeIntent);
  }

  async void(req: {
    providerPaymentId: string | null;
    authorization: AuthorizeRequest;
    idempotencyKey: string;
  }): Promise<IntentResult | null> {
    let id = req.providerPaymentId;
    if (!id) {
      // The authorisation's answer was lost: the same request under the same key returns what Stripe did with it.
      const found = await this.authorize(req.authorization);
      if (found.status === "failed" || found.status === "voided") return found;
      id = found.providerPaymentId;
    }
    return this.intentOrDecline(
      await this.post(`/v1/payment_intents/${encodeURIComponent(id)}/cancel`, { cancellation_reason: "abandoned" }, req.idempotencyKey),
    );
  }

  async refund(req: {
    providerPaymentId: string;
    amountMinor: number;
    currency: string;
    idempotencyKey: string;
    metadata: Record<string, string>;
  }): Promise<RefundResult> {
    const answer = await this.post(
      "/v1/refunds",
      { payment_intent: req.providerPaymentId, amount: req.amountMinor, metadata: req.metadata },
      req.idempotencyKey,
    );
    if ("cardError" in answer) throw new ProviderRefused("invalid_request", answer.cardError.message ?? "refund refused");
    const refund = answer.body as { id: string; amount: number; status: string };
    return {
      providerRefundId: refund.id,
      amountMinor: refund.amount,
      status:
        refund.status === "succeeded" ? "succeeded" : refund.status === "failed" || refund.status === "canceled" ? "failed" : "pending",
    };
  }

  verifyWebhook(headers: Headers, rawBody: string, secrets: readonly string[], now?: number): Promise<VerifyResult> {
    return verifySignature({ header: headers.get(this.signatureHeader), rawBody, secrets, now });
  }

  parseWebhook(rawBody: string): WebhookEvent {
    return parseStripeEvent(rawBody);
  }
}

const INTENT_EVENTS: Record<string, IntentStatus> = {
  "payment_intent.amount_capturable_updated": "authorized",
  "payment_intent.succeeded": "captured",
  "payment_intent.payment_failed": "failed",
  "payment_intent.canceled": "voided",
  "payment_intent.processing": "pending_settlement",
  "payment_intent.requires_action": "requires_action",
};

/** A Stripe event (`{ id, object: "event", type, created, data: { object } }`) in our words. */
export function parseStripeEvent(rawBody: string): WebhookEvent {
  const event = JSON.parse(rawBody) as { id?: unknown; type?: unknown; created?: unknown; data?: { object?: Record<string, unknown> } };
  if (typeof event.id !== "string" || typeof event.type !== "string" || !event.data?.object)
    throw new Error("expected a Stripe event { id, type, created, data: { object } }");
  const object = event.data.object;
  const metadata = object.metadata as Record<string, unknown> | undefined;
  const base = {
    id: event.id,
    type: event.type,
    occurredAt: typeof event.created === "number" ? new Date(event.created * 1000) : null,
    paymentId: typeof metadata?.payment_id === "string" ? metadata.payment_id : null,
  };
  const status = INTENT_EVENTS[event.type];
  if (status && object.object === "payment_intent") {
    const intent = object as unknown as StripeIntent;
    return {
      ...base,
      kind: "payment",
      providerPaymentId: intent.id,
      status,
      amountCapturedMinor: intent.amount_received ?? 0,
      failureReason: status === "failed" ? failureReasonOf(intent.last_payment_error) : null,
    };
  }
  if (event.type.startsWith("refund.") && object.object === "refund" && typeof object.payment_intent === "string") {
    const refund = object as { id: string; amount: number; status: string; payment_intent: string };
    const refundStatus =
      refund.status === "succeeded" ? "succeeded" : refund.status === "failed" || refund.status === "canceled" ? "failed" : "pending";
    return {
      ...base,
      kind: "refund",
      providerPaymentId: refund.payment_intent,
      refund: { providerRefundId: refund.id, status: refundStatus, amountMinor: refund.amount },
    };
  }
  return { ...base, kind: "unknown", providerPaymentId: typeof object.id === "string" ? object.id : null };
}
