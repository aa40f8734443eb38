/**
 * The sandbox provider's test payment methods: what each does. Any other id
 * behaves like `pm_card_visa`, so a client's placeholder id still pays.
 */
import type { FailureReason } from "./types.ts";

export type CardBehaviour =
  | { authorize: "approve"; capture: "approve" | "refuse" }
  | { authorize: "decline"; reason: FailureReason }
  | { authorize: "timeout" }
  | { authorize: "async" };

export const SANDBOX_CARDS: Record<string, { behaviour: CardBehaviour; what: string }> = {
  pm_card_visa: { behaviour: { authorize: "approve", capture: "approve" }, what: "approves; capture succeeds" },
  pm_card_declined: { behaviour: { authorize: "decline", reason: "card_declined" }, what: "authorisation declined: card_declined" },
  pm_card_insufficient_funds: {
    behaviour: { authorize: "decline", reason: "insufficient_funds" },
    what: "authorisation declined: insufficient_funds",
  },
  pm_card_expired: { behaviour: { authorize: "decline", reason: "expired_card" }, what: "authorisation declined: expired_card" },
  pm_card_fraudulent: {
    behaviour: { authorize: "decline", reason: "fraud_suspected" },
    what: "authorisation declined: fraud_suspected (not retryable)",
  },
  pm_card_timeout: {
    behaviour: { authorize: "timeout" },
    what: "the authorisation reaches the sandbox, but every answer is lost (503, outcome unknown); a later void releases it",
  },
  pm_card_async: {
    behaviour: { authorize: "async" },
    what: "authorisation pending; settles when the webhook payment.succeeded or payment.failed for it arrives",
  },
  pm_card_capture_fails: {
    behaviour: { authorize: "approve", capture: "refuse" },
    what: "authorisation approved; capture refused with processing_error",
  },
};

export function cardBehaviour(paymentMethodId: string): CardBehaviour {
  return SANDBOX_CARDS[paymentMethodId]?.behaviour ?? { authorize: "approve", capture: "approve" };
}
