/**
 * The payments family's service: the only code that touches the payments
 * tables. Orders and delivery call these functions (through index.ts, not
 * over HTTP); the routes call them too. Each operation records its key before the provider is
 * called and sends the provider a key derived from the payment, so a retry
 * after a timeout or a crash reaches the same provider-side operation and
 * can never charge twice. An unknown outcome is a 503: call again with the
 * same key.
 */
import { and, eq } from "drizzle-orm";
import { payments } from "../../db/schema/payments.ts";
import type { REFUND_REASONS } from "../../queues/contracts/events/payment.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import type { Database } from "../platform/db.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import type { Actor } from "../platform/event-envelope.ts";
import { failIfInjected } from "../platform/faults.ts";
import { newId } from "../platform/ids.ts";
import { errorFields, log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { PaymentErrors } from "./errors.ts";
import { AFTER_PROVIDER, applyOutcome, type CallOptions, type Outcome, outcomeOf, providerError, publisher } from "./outcomes.ts";
import { activeProviderName, providerFor } from "./provider-choice.ts";
import { type AuthorizeRequest, type IntentResult, ProviderRefused } from "./providers/types.ts";
import { type PaymentRow, type PaymentView, paymentRow, paymentRowsForOrder, paymentView, type RefundView } from "./records.ts";
import { refundPaymentImpl } from "./refunds.ts";
import { isCaptured } from "./state.ts";

export { AFTER_PROVIDER, type CallOptions } from "./outcomes.ts";
export type { PaymentView, RefundView } from "./records.ts";

const invalid = (field: string, message: string) =>
  new ApiError(ErrorCode.VALIDATION_FAILED, `${field} ${message}`, { errors: [{ field, message }] });

/** The provider request that authorised this payment, rebuilt from its record (voids of a lost answer need it). */
export const authorizeRequestOf = (p: PaymentRow): AuthorizeRequest => ({
  amountMinor: p.amountMinor,
  currency: p.currency,
  paymentMethodId: p.paymentMethodId,
  idempotencyKey: `${p.id}:authorize`,
  metadata: { paymentId: p.id, orderId: p.orderId, orderNumber: p.orderNumber },
});

/** Applies a provider answer to the payment in one transaction with its event. */
export async function record(
  rt: Runtime,
  db: Database,
  paymentId: string,
  outcome: Outcome,
  correlationId: string,
  options?: CallOptions,
): Promise<PaymentView> {
  const pub = publisher(rt, db, options);
  const row = await transactionWithEvents(
    db,
    async (tx, events) => {
      const current = await paymentRow(tx, paymentId, true);
      if (!current) throw notFound("payment");
      return (await applyOutcome(tx, events, current, outcome, correlationId)).row;
    },
    pub.afterCommit,
  );
  await pub.flush();
  return paymentView(row);
}

function checkKey(key: string): void {
  if (!key || key.length > 200) throw invalid("idempotencyKey", "must be 1 to 200 characters");
}

/** Authorises `amountMinor` on the payment method: one payment record per (orderId, idempotencyKey). */
export async function authorizePayment(
  rt: Runtime,
  db: Database,
  input: {
    orderId: string;
    orderNumber: string;
    userId: string;
    amountMinor: number;
    currency: string;
    paymentMethodId: string;
    idempotencyKey: string;
    correlationId: string;
  },
  options?: CallOptions,
): Promise<PaymentView> {
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0)
    throw invalid("amountMinor", "must be a positive integer (minor units)");
  if (!/^[A-Z]{3}$/.test(input.currency)) throw invalid("currency", "must be an ISO 4217 code in capitals");
  checkKey(input.idempotencyKey);
  const [inserted] = await db
    .insert(payments)
    .values({
      id: newId("pay"),
      orderId: input.orderId,
      orderNumber: input.orderNumber,
      userId: input.userId,
      provider: activeProviderName(rt),
      paymentMethodId: input.paymentMethodId,
      amountMinor: input.amountMinor,
      currency: input.currency,
      status: "authorizing",
      idempotencyKey: input.idempotencyKey,
      correlationId: input.correlationId,
    })
    .onConflictDoNothing({ target: [payments.orderId, payments.idempotencyKey] })
    .returning();
  let payment = inserted;
  if (!payment) {
    const [existing] = await db
      .select()
      .from(payments)
      .where(and(eq(payments.orderId, input.orderId), eq(payments.idempotencyKey, input.idempotencyKey)));
    if (!existing) throw new Error("payment vanished after an idempotency conflict");
    const same =
      existing.amountMinor === input.amountMinor &&
      existing.currency === input.currency &&
      existing.paymentMethodId === input.paymentMethodId &&
      existing.userId === input.userId;
    if (!same)
      throw new ApiError(ErrorCode.IDEMPOTENCY_KEY_REUSED, "This idempotency key was used for another authorisation of this order");
    // Settled already: the first answer, without calling the provider again.
    if (existing.status !== "authorizing") return paymentView(existing);
    payment = existing;
  }
  const provider = providerFor(rt, db, payment.provider);
  let result: IntentResult;
  try {
    result = await provider.authorize(authorizeRequestOf(payment));
  } catch (err) {
    if (err instanceof ProviderRefused && err.code === "invalid_request") {
      // The provider will not take this payment method at all: a failure the customer can fix.
      return record(rt, db, payment.id, { status: "failed", failureReason: "card_declined" }, input.correlationId, options);
    }
    log.warn("payments.authorize_unknown", { paymentId: payment.id, ...errorFields(err) });
    return providerError(err);
  }
  await failIfInjected(rt, db, AFTER_PROVIDER, input.idempotencyKey);
  return record(rt, db, payment.id, outcomeOf(result), input.correlationId, options);
}

async function existing(db: Database, paymentId: string): Promise<PaymentRow> {
  const row = await paymentRow(db, paymentId);
  if (!row) throw notFound("payment");
  return row;
}

/** Captures the authorised amount (idempotent: a captured payment is returned as is). */
export async function capturePayment(
  rt: Runtime,
  db: Database,
  input: { paymentId: string; idempotencyKey: string; correlationId: string },
  options?: CallOptions,
): Promise<PaymentView> {
  checkKey(input.idempotencyKey);
  const payment = await existing(db, input.paymentId);
  if (isCaptured(payment.status)) return paymentView(payment);
  if (payment.status !== "authorized" || !payment.providerPaymentId)
    throw new ApiError(PaymentErrors.PAYMENT_STATE_CONFLICT, `A payment in status ${payment.status} cannot be captured`, {
      status: payment.status,
    });
  await db.update(payments).set({ captureKey: input.idempotencyKey }).where(eq(payments.id, payment.id));
  const provider = providerFor(rt, db, payment.provider);
  let result: IntentResult;
  try {
    result = await provider.capture({
      providerPaymentId: payment.providerPaymentId,
      amountMinor: payment.amountMinor,
      idempotencyKey: `${payment.id}:capture`,
    });
  } catch (err) {
    return providerError(err);
  }
  await failIfInjected(rt, db, AFTER_PROVIDER, input.idempotencyKey);
  if (result.status === "failed") {
    // A refused capture leaves the hold on the card: release it, so the customer is not left with blocked funds.
    await provider
      .void({
        providerPaymentId: payment.providerPaymentId,
        authorization: authorizeRequestOf(payment),
        idempotencyKey: `${payment.id}:void`,
      })
      .catch((err) => log.warn("payments.release_after_capture_failure", { paymentId: payment.id, ...errorFields(err) }));
  }
  return record(rt, db, payment.id, outcomeOf(result), input.correlationId, options);
}

/** Releases an authorisation that was not captured (idempotent; a payment already voided or failed is returned as is). */
export async function voidPayment(
  rt: Runtime,
  db: Database,
  input: { paymentId: string; idempotencyKey: string; correlationId: string },
  options?: CallOptions,
): Promise<PaymentView> {
  checkKey(input.idempotencyKey);
  const payment = await existing(db, input.paymentId);
  if (payment.status === "voided" || payment.status === "failed") return paymentView(payment);
  if (isCaptured(payment.status))
    throw new ApiError(PaymentErrors.PAYMENT_STATE_CONFLICT, "The payment was captured; refund it instead", { status: payment.status });
  await db.update(payments).set({ voidKey: input.idempotencyKey }).where(eq(payments.id, payment.id));
  const provider = providerFor(rt, db, payment.provider);
  let result: IntentResult | null;
  try {
    result = await provider.void({
      providerPaymentId: payment.providerPaymentId,
      authorization: authorizeRequestOf(payment),
      idempotencyKey: `${payment.id}:void`,
    });
  } catch (err) {
    return providerError(err);
  }
  await failIfInjected(rt, db, AFTER_PROVIDER, input.idempotencyKey);
  // Nothing held at the provider (it never got the request, or declined it): the payment is void all the same.
  const outcome: Outcome = { status: "voided", providerPaymentId: result?.providerPaymentId ?? null };
  return record(rt, db, payment.id, outcome, input.correlationId, options);
}

/** Refunds up to the captured-minus-refunded amount (idempotent on idempotencyKey; RefundIssued on success). */
export async function refundPayment(
  rt: Runtime,
  db: Database,
  input: {
    paymentId: string;
    amountMinor: number;
    reason: (typeof REFUND_REASONS)[number];
    idempotencyKey: string;
    correlationId: string;
    actor?: Actor | null;
  },
  options?: CallOptions,
): Promise<RefundView> {
  checkKey(input.idempotencyKey);
  return refundPaymentImpl(rt, db, input, options);
}

export async function getPayment(db: Database, paymentId: string): Promise<PaymentView | null> {
  const row = await paymentRow(db, paymentId);
  return row ? paymentView(row) : null;
}

export async function paymentsForOrder(db: Database, orderId: string): Promise<PaymentView[]> {
  return (await paymentRowsForOrder(db, orderId)).map(paymentView);
}
