/**
 * Provider webhooks: verified over the raw body, deduplicated on the
 * provider's event id, and applied through the state machine in one
 * transaction with the dedupe record, so a crash loses nothing (the provider
 * redelivers what we did not acknowledge) and a redelivery does nothing.
 * Events for an older state than the payment's are recorded as stale and
 * change nothing; unknown event types are acknowledged.
 */
import { and, eq, or } from "drizzle-orm";
import { payments, refunds, webhookEvents } from "../../db/schema/payments.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import type { Database, Tx } from "../platform/db.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import { log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { invalidWebhookSignature } from "../platform/webhook-signature.ts";
import { applyOutcome, type CallOptions, publisher } from "./outcomes.ts";
import { activeProviderName, isProviderName, providerFor, webhookSecrets } from "./provider-choice.ts";
import type { WebhookEvent } from "./providers/types.ts";
import type { PaymentRow } from "./records.ts";
import { settleRefund } from "./refunds.ts";

export type WebhookOutcome = "applied" | "unchanged" | "stale" | "duplicate" | "unmatched" | "ignored";

export interface WebhookResult {
  received: true;
  eventId: string;
  outcome: WebhookOutcome;
  paymentId: string | null;
}

async function findPayment(tx: Tx, provider: string, event: WebhookEvent): Promise<PaymentRow | undefined> {
  const byProviderId = event.providerPaymentId
    ? and(eq(payments.provider, provider), eq(payments.providerPaymentId, event.providerPaymentId))
    : undefined;
  const byOurId = event.paymentId ? and(eq(payments.provider, provider), eq(payments.id, event.paymentId)) : undefined;
  if (!byProviderId && !byOurId) return undefined;
  const [row] = await tx.select().from(payments).where(or(byProviderId, byOurId)).limit(1).for("update");
  return row;
}

export async function handleWebhook(
  rt: Runtime,
  db: Database,
  providerName: string,
  rawBody: string,
  headers: Headers,
  options?: CallOptions,
): Promise<WebhookResult> {
  // Only the configured provider's endpoint is live; others do not exist.
  if (!isProviderName(providerName) || providerName !== activeProviderName(rt)) throw notFound("payment provider");
  const provider = providerFor(rt, db, providerName);
  const verified = await provider.verifyWebhook(headers, rawBody, webhookSecrets(rt));
  if (!verified.ok) {
    log.warn("payments.webhook_rejected", { provider: providerName, reason: verified.reason });
    throw invalidWebhookSignature();
  }
  let event: WebhookEvent;
  try {
    event = provider.parseWebhook(rawBody);
  } catch (err) {
    throw new ApiError(
      ErrorCode.BAD_REQUEST,
      `The webhook payload is not valid: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`,
    );
  }
  await provider.onVerifiedWebhook?.(event);

  const pub = publisher(rt, db, options);
  const result = await transactionWithEvents(
    db,
    async (tx, events): Promise<WebhookResult> => {
      const claimed = await tx
        .insert(webhookEvents)
        .values({
          provider: providerName,
          eventId: event.id,
          type: event.type,
          providerPaymentId: event.providerPaymentId,
          outcome: "processing",
          occurredAt: event.occurredAt,
        })
        .onConflictDoNothing()
        .returning({ eventId: webhookEvents.eventId });
      if (claimed.length === 0) return { received: true, eventId: event.id, outcome: "duplicate", paymentId: null };

      let outcome: WebhookOutcome = "ignored";
      let paymentId: string | null = null;
      if (event.kind !== "unknown") {
        const payment = await findPayment(tx, providerName, event);
        paymentId = payment?.id ?? null;
        if (!payment) outcome = "unmatched";
        else if (event.kind === "payment" && event.status) {
          const applied = await applyOutcome(
            tx,
            events,
            payment,
            {
              status: event.status,
              providerPaymentId: event.providerPaymentId,
              amountCapturedMinor: event.amountCapturedMinor,
              failureReason: event.failureReason,
              occurredAt: event.occurredAt,
            },
            payment.correlationId,
          );
          outcome = applied.applied ? "applied" : applied.why === "same" ? "unchanged" : "stale";
        } else if (event.kind === "refund" && event.refund) {
          const [refund] = await tx
            .select()
            .from(refunds)
            .where(and(eq(refunds.paymentId, payment.id), eq(refunds.providerRefundId, event.refund.providerRefundId)))
            .for("update");
          if (!refund) outcome = "unmatched";
          else
            outcome = (await settleRefund(tx, events, payment, refund, event.refund, refund.correlationId)).applied ? "applied" : "stale";
        }
      }
      await tx
        .update(webhookEvents)
        .set({ outcome, paymentId })
        .where(and(eq(webhookEvents.provider, providerName), eq(webhookEvents.eventId, event.id)));
      return { received: true, eventId: event.id, outcome, paymentId };
    },
    pub.afterCommit,
  );
  await pub.flush();
  log.info("payments.webhook", {
    provider: providerName,
    type: event.type,
    eventId: event.id,
    outcome: result.outcome,
    paymentId: result.paymentId,
  });
  return result;
}
