/**
 * What the payments service needs from a payment provider. Declines come back
 * as results (status `failed` with a reason); only an unknown outcome
 * (network, timeout, 5xx, 429) throws ProviderUnavailable, and a request the
 * provider refuses for the payment's state throws ProviderRefused. Every
 * mutating call carries an idempotency key, which the provider honours: a
 * repeat returns the first answer and has no second effect.
 */

import { PAYMENT_FAILURE_REASONS } from "../../../queues/contracts/events/payment.ts";
import type { VerifyResult } from "../../platform/webhook-signature.ts";

/** Why a provider refused a payment: the reasons the payment contract carries. */
export type FailureReason = (typeof PAYMENT_FAILURE_REASONS)[number];

/** Whether a provider's code is one of the reasons the payment contract carries. */
export const isFailureReason = (code: string): code is FailureReason => (PAYMENT_FAILURE_REASONS as readonly string[]).includes(code);

export type ProviderName = "sandbox" | "stripe";
export const PROVIDER_NAMES: readonly ProviderName[] = ["sandbox", "stripe"];

/** A provider-side payment's state, in our words. */
export type IntentStatus = "requires_action" | "pending_settlement" | "authorized" | "captured" | "voided" | "failed";

export interface IntentResult {
  providerPaymentId: string;
  status: IntentStatus;
  amountCapturedMinor: number;
  failureReason: FailureReason | null;
}

export interface AuthorizeRequest {
  amountMinor: number;
  currency: string;
  paymentMethodId: string;
  idempotencyKey: string;
  metadata: { paymentId: string; orderId: string; orderNumber: string };
}

export interface RefundResult {
  providerRefundId: string;
  status: "succeeded" | "pending" | "failed";
  amountMinor: number;
}

export interface WebhookEvent {
  id: string;
  /** The provider's own event type, as received. */
  type: string;
  occurredAt: Date | null;
  /** What it says, in our words; `unknown` types are acknowledged and ignored. */
  kind: "payment" | "refund" | "unknown";
  providerPaymentId: string | null;
  /** Our payment id, when the provider echoes the metadata we sent (matches events that beat our own record of the answer). */
  paymentId?: string | null;
  status?: IntentStatus;
  amountCapturedMinor?: number;
  failureReason?: FailureReason | null;
  refund?: { providerRefundId: string; status: "succeeded" | "pending" | "failed"; amountMinor: number };
}

export interface PaymentProvider {
  readonly name: ProviderName;
  authorize(req: AuthorizeRequest): Promise<IntentResult>;
  capture(req: { providerPaymentId: string; amountMinor: number; idempotencyKey: string }): Promise<IntentResult>;
  /**
   * Releases an uncaptured authorisation. When our record has no provider id
   * (the authorisation's answer was lost), the provider finds it from the
   * original request; null when it never reached the provider.
   */
  void(req: { providerPaymentId: string | null; authorization: AuthorizeRequest; idempotencyKey: string }): Promise<IntentResult | null>;
  refund(req: {
    providerPaymentId: string;
    amountMinor: number;
    currency: string;
    idempotencyKey: string;
    metadata: Record<string, string>;
  }): Promise<RefundResult>;
  /** The header carrying the webhook signature. */
  readonly signatureHeader: string;
  /** Checks the signature header over the raw body against our secrets (several during a rotation). */
  verifyWebhook(headers: Headers, rawBody: string, secrets: readonly string[], now?: number): Promise<VerifyResult>;
  parseWebhook(rawBody: string): WebhookEvent;
  /** Called with a verified event before we apply it (the sandbox settles its own side here). */
  onVerifiedWebhook?(event: WebhookEvent): Promise<void>;
}

/** The outcome is unknown (timeout, network, provider 5xx or 429): retry later with the same key. */
export class ProviderUnavailable extends Error {
  override name = "ProviderUnavailable";
}

/** The provider refused the request as such (wrong state, bad parameters, key reused for another request). */
export class ProviderRefused extends Error {
  override name = "ProviderRefused";
  constructor(
    readonly code: "invalid_state" | "invalid_request" | "idempotency_mismatch" | "amount_too_large",
    message: string,
  ) {
    super(message);
  }
}
