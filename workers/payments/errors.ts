/**
 * Error codes of the payments family (the registry: workers/platform/errors.ts).
 * Other families (orders, delivery) that match on one compare against
 * `PaymentErrors.X.code`, exported by workers/payments/index.ts.
 */
import { defineErrors } from "../platform/errors.ts";

export const PaymentErrors = defineErrors({
  PAYMENT_PROVIDER_UNAVAILABLE: { status: 503, title: "Payment provider unavailable" },
  /** The provider failed often enough that its circuit is open: nothing is sent to it (nor charged) until Retry-After. */
  PAYMENT_PROVIDER_CIRCUIT_OPEN: { status: 503, title: "Payment provider circuit open" },
  /** The payment is in a state that does not allow the operation (e.g. capture after void). */
  PAYMENT_STATE_CONFLICT: { status: 409, title: "Payment state conflict" },
  REFUND_EXCEEDS_CAPTURED: { status: 409, title: "Refund exceeds captured" },
  PAYMENT_DECLINED: { status: 402, title: "Payment declined" },
  REFUND_FAILED: { status: 409, title: "Refund failed" },
  /** The webhook names a provider that is not configured. */
  UNKNOWN_PAYMENT_PROVIDER: { status: 404, title: "Unknown payment provider" },
});
