/**
 * Applying what the provider said (an answer, or a webhook) to a payment:
 * inside one transaction, under the payment's row lock, through the state
 * machine, with the event it calls for in the same transaction. An outcome
 * the payment is already at, or past, changes nothing and emits nothing.
 */
import { eq } from "drizzle-orm";
import { payments } from "../../db/schema/payments.ts";
import { PaymentFailed, PaymentProcessed } from "../../queues/contracts/events/payment.ts";
import type { EventSink } from "../../queues/outbox/outbox.ts";
import { relayOutbox } from "../../queues/outbox/relay.ts";
import type { Database, Tx } from "../platform/db.ts";
import { ApiError } from "../platform/errors.ts";
import type { Actor } from "../platform/event-envelope.ts";
import { errorFields, log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { eventFrom, type Scope } from "../platform/scope.ts";
import { PaymentErrors } from "./errors.ts";
import { type IntentResult, ProviderRefused, ProviderUnavailable } from "./providers/types.ts";
import type { PaymentRow } from "./records.ts";
import { decide, type FailureReason, isRetryable, type PaymentStatus } from "./state.ts";

export const SOURCE = "payments";
/** Payments' events are the service's doing, whoever called it. */
export const SERVICE_ACTOR: Actor = { type: "service", id: SOURCE };

/** The fault point between the provider's answer and our record of it (tests inject a crash there). */
export const AFTER_PROVIDER = "payments.after_provider";

/** A provider failure as the API answers it: unknown outcome 503 (retry with the same key), refusal 409. */
export function providerError(err: unknown): never {
  if (err instanceof ProviderUnavailable)
    throw new ApiError(
      PaymentErrors.PAYMENT_PROVIDER_UNAVAILABLE,
      "The payment provider did not answer; the outcome is unknown. Retry with the same idempotency key.",
      { headers: { "retry-after": "5" } },
    );
  if (err instanceof ProviderRefused)
    throw new ApiError(PaymentErrors.PAYMENT_STATE_CONFLICT, `The payment provider refused the request: ${err.message}`);
  throw err;
}

/**
 * How a service call publishes its events after commit: with a request's
 * publishing strategy (`Scope.afterCommit`: relayed in the background of the
 * request; a request's `Scope` is such options), or, without one, right
 * away before the call returns.
 */
export type CallOptions = Partial<Pick<Scope, "afterCommit">>;

export function publisher(
  rt: Runtime,
  db: Database,
  options: CallOptions | undefined,
): { afterCommit: (ids: string[]) => void; flush: () => Promise<void> } {
  const pending: string[] = [];
  return {
    afterCommit(ids) {
      if (options?.afterCommit) options.afterCommit(ids);
      else pending.push(...ids);
    },
    async flush() {
      if (pending.length === 0) return;
      const ids = pending.splice(0);
      // Without a request to finish it in the background, publish now; the outbox sweep covers a failure.
      await relayOutbox(db, rt, { ids }).catch((err) => log.warn("payments.relay_failed", { ids, ...errorFields(err) }));
    },
  };
}

export interface Outcome {
  status: PaymentStatus;
  providerPaymentId?: string | null;
  amountCapturedMinor?: number;
  failureReason?: FailureReason | null;
  /** When the provider says it happened (webhooks): older than the payment's last event means stale. */
  occurredAt?: Date | null;
}

export const outcomeOf = (r: IntentResult): Outcome => ({
  status: r.status,
  providerPaymentId: r.providerPaymentId,
  amountCapturedMinor: r.amountCapturedMinor,
  failureReason: r.failureReason,
});

export type Applied = { row: PaymentRow; applied: boolean; why?: "same" | "stale" };

/** Moves the locked payment `row` to the outcome's status when the state machine allows it, emitting its event. */
export async function applyOutcome(tx: Tx, events: EventSink, row: PaymentRow, outcome: Outcome, correlationId: string): Promise<Applied> {
  if (outcome.occurredAt && row.lastEventAt && outcome.occurredAt < row.lastEventAt) return { row, applied: false, why: "stale" };
  const decision = decide(row.status, outcome.status);
  const lastEventAt =
    outcome.occurredAt && (!row.lastEventAt || outcome.occurredAt > row.lastEventAt) ? outcome.occurredAt : row.lastEventAt;
  if (!decision.apply) {
    // Still learn the provider's id if we had lost it (an answer that never came back).
    if (outcome.providerPaymentId && !row.providerPaymentId) {
      const [updated] = await tx
        .update(payments)
        .set({ providerPaymentId: outcome.providerPaymentId, lastEventAt })
        .where(eq(payments.id, row.id))
        .returning();
      return { row: updated!, applied: false, why: decision.why };
    }
    return { row, applied: false, why: decision.why };
  }
  const to = decision.to;
  const failureReason = to === "failed" ? (outcome.failureReason ?? "processing_error") : null;
  const [updated] = await tx
    .update(payments)
    .set({
      status: to,
      providerPaymentId: outcome.providerPaymentId ?? row.providerPaymentId,
      capturedMinor: to === "captured" ? outcome.amountCapturedMinor || row.amountMinor : row.capturedMinor,
      failureReason,
      retryable: failureReason ? isRetryable(failureReason) : false,
      lastEventAt,
      updatedAt: new Date(),
    })
    .where(eq(payments.id, row.id))
    .returning();
  const p = updated!;
  const common = {
    paymentId: p.id,
    orderId: p.orderId,
    orderNumber: p.orderNumber,
    userId: p.userId,
    amountMinor: p.amountMinor,
    currency: p.currency,
  };
  const cause = { correlationId, actor: SERVICE_ACTOR };
  if (to === "authorized" || to === "captured") {
    await events.emit(
      PaymentProcessed,
      eventFrom(cause, SOURCE, p.id, {
        ...common,
        amountMinor: to === "captured" ? p.capturedMinor : p.amountMinor,
        provider: p.provider,
        stage: to,
      }),
    );
  } else if (to === "failed") {
    await events.emit(PaymentFailed, eventFrom(cause, SOURCE, p.id, { ...common, reason: failureReason!, retryable: p.retryable }));
  }
  return { row: p, applied: true };
}
