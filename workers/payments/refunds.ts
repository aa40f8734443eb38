/**
 * Refunds. A refund row (pending) is written before the provider is called,
 * under the payment's row lock, and counts against what is left to refund
 * while it is pending: two concurrent refunds can never return more than was
 * captured. The provider gets the refund's id as its idempotency key, so a
 * retry with the same key after a lost answer reaches the same refund.
 */
import { and, eq, sql } from "drizzle-orm";
import { payments, refunds } from "../../db/schema/payments.ts";
import { REFUND_REASONS, RefundIssued } from "../../queues/contracts/events/payment.ts";
import type { EventSink } from "../../queues/outbox/outbox.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import type { Database, Tx } from "../platform/db.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import type { Actor } from "../platform/event-envelope.ts";
import { failIfInjected } from "../platform/faults.ts";
import { newId } from "../platform/ids.ts";
import type { Runtime } from "../platform/runtime.ts";
import { eventFrom } from "../platform/scope.ts";
import { PaymentErrors } from "./errors.ts";
import { AFTER_PROVIDER, type CallOptions, providerError, publisher, SERVICE_ACTOR, SOURCE } from "./outcomes.ts";
import { providerFor } from "./provider-choice.ts";
import { ProviderRefused, type RefundResult } from "./providers/types.ts";
import { type PaymentRow, paymentRow, type RefundRow, type RefundView, refundView } from "./records.ts";
import { isCaptured, refundable, statusAfterRefunds } from "./state.ts";

type Reason = (typeof REFUND_REASONS)[number];

async function pendingMinor(tx: Tx, paymentId: string): Promise<number> {
  const [row] = await tx
    .select({ total: sql<string>`coalesce(sum(${refunds.amountMinor}), 0)` })
    .from(refunds)
    .where(and(eq(refunds.paymentId, paymentId), eq(refunds.status, "pending")));
  return Number(row?.total ?? 0);
}

/** Settles a pending refund as the provider reports it, and the payment's refunded total with it (caller holds the payment lock). */
export async function settleRefund(
  tx: Tx,
  events: EventSink,
  payment: PaymentRow,
  refund: RefundRow,
  result: { providerRefundId: string; status: RefundResult["status"] },
  correlationId: string,
  actor: Actor = SERVICE_ACTOR,
): Promise<{ refund: RefundRow; applied: boolean }> {
  if (refund.status !== "pending") return { refund, applied: false };
  if (result.status === "pending") {
    const [r] = await tx
      .update(refunds)
      .set({ providerRefundId: result.providerRefundId, updatedAt: new Date() })
      .where(eq(refunds.id, refund.id))
      .returning();
    return { refund: r!, applied: false };
  }
  const [r] = await tx
    .update(refunds)
    .set({ status: result.status, providerRefundId: result.providerRefundId, updatedAt: new Date() })
    .where(eq(refunds.id, refund.id))
    .returning();
  if (result.status === "succeeded") {
    const refundedMinor = payment.refundedMinor + refund.amountMinor;
    await tx
      .update(payments)
      .set({ refundedMinor, status: statusAfterRefunds(payment.capturedMinor, refundedMinor), updatedAt: new Date() })
      .where(eq(payments.id, payment.id));
    await events.emit(
      RefundIssued,
      eventFrom({ correlationId, actor }, SOURCE, payment.id, {
        refundId: refund.id,
        paymentId: payment.id,
        orderId: payment.orderId,
        orderNumber: payment.orderNumber,
        userId: payment.userId,
        amountMinor: refund.amountMinor,
        currency: refund.currency,
        reason: refund.reason as Reason,
      }),
    );
  }
  return { refund: r!, applied: true };
}

/** Finds or creates the refund for (payment, key); `call` says whether the provider still has to be asked. */
async function openRefund(
  db: Database,
  input: { paymentId: string; amountMinor: number; reason: Reason; idempotencyKey: string; correlationId: string },
): Promise<{ payment: PaymentRow; refund: RefundRow; call: boolean }> {
  return db.transaction(async (tx) => {
    const payment = await paymentRow(tx, input.paymentId, true);
    if (!payment) throw notFound("payment");
    const [found] = await tx
      .select()
      .from(refunds)
      .where(and(eq(refunds.paymentId, payment.id), eq(refunds.idempotencyKey, input.idempotencyKey)));
    if (found) {
      if (found.amountMinor !== input.amountMinor || found.reason !== input.reason)
        throw new ApiError(ErrorCode.IDEMPOTENCY_KEY_REUSED, "This idempotency key was used for another refund of this payment");
      return { payment, refund: found, call: found.status === "pending" && !found.providerRefundId };
    }
    const left = isCaptured(payment.status) ? refundable(payment, await pendingMinor(tx, payment.id)) : 0;
    if (input.amountMinor > left) {
      throw new ApiError(PaymentErrors.REFUND_EXCEEDS_CAPTURED, `At most ${left} ${payment.currency} minor units can be refunded`, {
        refundableMinor: left,
        currency: payment.currency,
      });
    }
    const [refund] = await tx
      .insert(refunds)
      .values({
        id: newId("rfd"),
        paymentId: payment.id,
        amountMinor: input.amountMinor,
        currency: payment.currency,
        reason: input.reason,
        status: "pending",
        idempotencyKey: input.idempotencyKey,
        correlationId: input.correlationId,
      })
      .returning();
    return { payment, refund: refund!, call: true };
  });
}

/**
 * `actor`: who asked for the refund (a member of staff through the API); the
 * RefundIssued event, and so the audit trail, names them. Without one (the
 * checkout's compensations, a return's refund) the payments service is the actor.
 */
export async function refundPaymentImpl(
  rt: Runtime,
  db: Database,
  input: { paymentId: string; amountMinor: number; reason: Reason; idempotencyKey: string; correlationId: string; actor?: Actor | null },
  options?: CallOptions,
): Promise<RefundView> {
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0)
    throw new ApiError(ErrorCode.VALIDATION_FAILED, "amountMinor must be a positive integer", {
      errors: [{ field: "amountMinor", message: "must be a positive integer (minor units)" }],
    });
  if (!(REFUND_REASONS as readonly string[]).includes(input.reason))
    throw new ApiError(ErrorCode.VALIDATION_FAILED, "reason is not valid", {
      errors: [{ field: "reason", message: `must be one of ${REFUND_REASONS.join(", ")}` }],
    });
  const { payment, refund, call } = await openRefund(db, input);
  if (!call) return refundView(refund);
  const provider = providerFor(rt, db, payment.provider);
  let result: RefundResult | { providerRefundId: string; status: "failed" };
  try {
    result = await provider.refund({
      providerPaymentId: payment.providerPaymentId!,
      amountMinor: refund.amountMinor,
      currency: refund.currency,
      idempotencyKey: refund.id,
      metadata: { payment_id: payment.id, refund_id: refund.id },
    });
  } catch (err) {
    if (!(err instanceof ProviderRefused)) return providerError(err);
    // Refused as such: the refund failed and no longer holds back any amount.
    await db.update(refunds).set({ status: "failed", failureReason: err.code, updatedAt: new Date() }).where(eq(refunds.id, refund.id));
    if (err.code === "amount_too_large")
      throw new ApiError(PaymentErrors.REFUND_EXCEEDS_CAPTURED, `The provider refused the refund: ${err.message}`);
    throw new ApiError(PaymentErrors.PAYMENT_STATE_CONFLICT, `The provider refused the refund: ${err.message}`);
  }
  await failIfInjected(rt, db, AFTER_PROVIDER, input.idempotencyKey);
  const pub = publisher(rt, db, options);
  const settled = await transactionWithEvents(
    db,
    async (tx, events) => {
      const locked = await paymentRow(tx, payment.id, true);
      const [current] = await tx.select().from(refunds).where(eq(refunds.id, refund.id)).for("update");
      return (await settleRefund(tx, events, locked!, current!, result, input.correlationId, input.actor ?? SERVICE_ACTOR)).refund;
    },
    pub.afterCommit,
  );
  await pub.flush();
  return refundView(settled);
}
