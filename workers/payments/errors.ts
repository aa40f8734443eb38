/**
 * Error codes of the payments family, as plain strings so other families
 * (orders, delivery) can match on them without importing the kernel's list.
 */
export const PAYMENT_DECLINED = "PAYMENT_DECLINED";
export const PAYMENT_PROVIDER_UNAVAILABLE = "PAYMENT_PROVIDER_UNAVAILABLE";
export const REFUND_EXCEEDS_CAPTURED = "REFUND_EXCEEDS_CAPTURED";
export const INVALID_WEBHOOK_SIGNATURE = "INVALID_WEBHOOK_SIGNATURE";
/** The payment is in a state that does not allow the operation (e.g. capture after void). */
export const PAYMENT_STATE_CONFLICT = "PAYMENT_STATE_CONFLICT";
/** An idempotency key was reused for a different operation or amount. */
export const IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED";
/** The webhook names a provider that is not configured. */
export const UNKNOWN_PAYMENT_PROVIDER = "UNKNOWN_PAYMENT_PROVIDER";

export const PaymentErrorCode = {
  PAYMENT_DECLINED,
  PAYMENT_PROVIDER_UNAVAILABLE,
  REFUND_EXCEEDS_CAPTURED,
  INVALID_WEBHOOK_SIGNATURE,
  PAYMENT_STATE_CONFLICT,
  IDEMPOTENCY_KEY_REUSED,
  UNKNOWN_PAYMENT_PROVIDER,
} as const;
export type PaymentErrorCode = (typeof PaymentErrorCode)[keyof typeof PaymentErrorCode];
