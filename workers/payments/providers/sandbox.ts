/**
 * The sandbox provider: behaves like a remote card processor with manual
 * capture, keeping its own records in the `sandbox_*` tables (provider side,
 * never read by our payment code) and its own idempotency store, so a repeat
 * of a key returns the first answer and has no second effect. The test
 * payment method ids choose the outcome (sandbox-cards.ts). Its webhooks use
 * Stripe's signature scheme under the header `sandbox-signature`.
 */
import { and, eq } from "drizzle-orm";
import { sandboxIntents, sandboxRefunds, sandboxRequests } from "../../../db/schema/payments.ts";
import type { Database, Tx } from "../../platform/db.ts";
import { newId } from "../../platform/ids.ts";
import { type VerifyResult, verifySignature } from "../../platform/webhook-signature.ts";
import { cardBehaviour } from "./sandbox-cards.ts";
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

type Intent = typeof sandboxIntents.$inferSelect;

const STATUS: Record<string, IntentStatus> = {
  requires_capture: "authorized",
  processing: "pending_settlement",
  succeeded: "captured",
  canceled: "voided",
  failed: "failed",
  requires_action: "requires_action",
};

const asReason = (code: string | null | undefined): FailureReason | null =>
  code && isFailureReason(code) ? code : code ? "processing_error" : null;

function resultOf(intent: Intent): IntentResult {
  return {
    providerPaymentId: intent.id,
    status: STATUS[intent.status] ?? "failed",
    amountCapturedMinor: intent.amountCaptured,
    failureReason: asReason(intent.failureCode),
  };
}

export class SandboxProvider implements PaymentProvider {
  readonly name = "sandbox" as const;
  readonly signatureHeader = "sandbox-signature";

  constructor(private readonly db: Database) {}

  /** Runs `fn` once per idempotency key; repeats get the stored answer (and wait for a first one still running). */
  private once<T>(key: string, operation: string, request: unknown, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const fingerprint = JSON.stringify(request);
    return this.db.transaction(async (tx) => {
      const inserted = await tx
        .insert(sandboxRequests)
        .values({ idempotencyKey: key, operation, fingerprint })
        .onConflictDoNothing()
        .returning({ key: sandboxRequests.idempotencyKey });
      if (inserted.length === 0) {
        const [row] = await tx.select().from(sandboxRequests).where(eq(sandboxRequests.idempotencyKey, key)).for("update");
        if (!row || row.operation !== operation || row.fingerprint !== fingerprint)
          throw new ProviderRefused(
            "idempotency_mismatch",
            `Keys for idempotent requests can only be used with the same parameters they were first used with (${key})`,
          );
        await tx
          .update(sandboxRequests)
          .set({ replays: row.replays + 1 })
          .where(eq(sandboxRequests.idempotencyKey, key));
        return (row.response as { result: T }).result;
      }
      const result = await fn(tx);
      await tx.update(sandboxRequests).set({ response: { result } }).where(eq(sandboxRequests.idempotencyKey, key));
      return result;
    });
  }

  private async intentForUpdate(tx: Tx, id: string): Promise<Intent> {
    const [intent] = await tx.select().from(sandboxIntents).where(eq(sandboxIntents.id, id)).for("update");
    if (!intent) throw new ProviderRefused("invalid_request", `No such payment: ${id}`);
    return intent;
  }

  async authorize(req: AuthorizeRequest): Promise<IntentResult> {
    const card = cardBehaviour(req.paymentMethodId);
    const result = await this.once(
      req.idempotencyKey,
      "authorize",
      { amount: req.amountMinor, currency: req.currency, pm: req.paymentMethodId },
      async (tx) => {
        const status = card.authorize === "decline" ? "failed" : card.authorize === "async" ? "processing" : "requires_capture";
        const [intent] = await tx
          .insert(sandboxIntents)
          .values({
            id: newId("sbpi"),
            createKey: req.idempotencyKey,
            paymentMethod: req.paymentMethodId,
            amount: req.amountMinor,
            currency: req.currency,
            status,
            failureCode: card.authorize === "decline" ? card.reason : null,
            metadata: { ...req.metadata },
          })
          .returning();
        return resultOf(intent!);
      },
    );
    // The request was processed, but the answer never comes back.
    if (card.authorize === "timeout") throw new ProviderUnavailable("sandbox: the authorisation timed out");
    return result;
  }

  async capture(req: { providerPaymentId: string; amountMinor: number; idempotencyKey: string }): Promise<IntentResult> {
    return this.once(req.idempotencyKey, "capture", { id: req.providerPaymentId, amount: req.amountMinor }, async (tx) => {
      const intent = await this.intentForUpdate(tx, req.providerPaymentId);
      if (intent.status === "succeeded") return resultOf(intent);
      if (intent.status !== "requires_capture")
        throw new ProviderRefused("invalid_state", `This payment has status ${intent.status} and cannot be captured`);
      if (req.amountMinor > intent.amount) throw new ProviderRefused("amount_too_large", "The capture exceeds the authorised amount");
      const card = cardBehaviour(intent.paymentMethod);
      if (card.authorize === "approve" && card.capture === "refuse") {
        // The capture is refused; the authorisation stays in place until it is voided.
        return {
          providerPaymentId: intent.id,
          status: "failed",
          amountCapturedMinor: 0,
          failureReason: "processing_error",
        } satisfies IntentResult;
      }
      const [updated] = await tx
        .update(sandboxIntents)
        .set({ status: "succeeded", amountCaptured: req.amountMinor, updatedAt: new Date() })
        .where(eq(sandboxIntents.id, intent.id))
        .returning();
      return resultOf(updated!);
    });
  }

  async void(req: {
    providerPaymentId: string | null;
    authorization: AuthorizeRequest;
    idempotencyKey: string;
  }): Promise<IntentResult | null> {
    return this.once(req.idempotencyKey, "void", { id: req.providerPaymentId, createKey: req.authorization.idempotencyKey }, async (tx) => {
      const [found] = req.providerPaymentId
        ? await tx.select().from(sandboxIntents).where(eq(sandboxIntents.id, req.providerPaymentId)).for("update")
        : await tx.select().from(sandboxIntents).where(eq(sandboxIntents.createKey, req.authorization.idempotencyKey)).for("update");
      if (!found) return null;
      if (found.status === "succeeded") throw new ProviderRefused("invalid_state", "This payment was captured; refund it instead");
      if (found.status === "canceled" || found.status === "failed") return resultOf(found);
      const [updated] = await tx
        .update(sandboxIntents)
        .set({ status: "canceled", updatedAt: new Date() })
        .where(eq(sandboxIntents.id, found.id))
        .returning();
      return resultOf(updated!);
    });
  }

  async refund(req: {
    providerPaymentId: string;
    amountMinor: number;
    currency: string;
    idempotencyKey: string;
    metadata: Record<string, string>;
  }): Promise<RefundResult> {
    return this.once(req.idempotencyKey, "refund", { id: req.providerPaymentId, amount: req.amountMinor }, async (tx) => {
      const intent = await this.intentForUpdate(tx, req.providerPaymentId);
      if (intent.status !== "succeeded")
        throw new ProviderRefused("invalid_state", `This payment has status ${intent.status}; only captured payments can be refunded`);
      if (req.amountMinor > intent.amountCaptured - intent.amountRefunded)
        throw new ProviderRefused("amount_too_large", "The refund exceeds what is left of the payment");
      const id = newId("sbre");
      await tx.insert(sandboxRefunds).values({ id, intentId: intent.id, amount: req.amountMinor, status: "succeeded" });
      await tx
        .update(sandboxIntents)
        .set({ amountRefunded: intent.amountRefunded + req.amountMinor, updatedAt: new Date() })
        .where(eq(sandboxIntents.id, intent.id));
      return { providerRefundId: id, status: "succeeded", amountMinor: req.amountMinor } satisfies RefundResult;
    });
  }

  verifyWebhook(headers: Headers, rawBody: string, secrets: readonly string[], now?: number): Promise<VerifyResult> {
    return verifySignature({ header: headers.get(this.signatureHeader), rawBody, secrets, now });
  }

  parseWebhook(rawBody: string): WebhookEvent {
    return parseSandboxEvent(rawBody);
  }

  /** An asynchronous payment settles on the provider side as its webhook says. */
  async onVerifiedWebhook(event: WebhookEvent): Promise<void> {
    if (event.kind !== "payment" || !event.providerPaymentId) return;
    const to = event.status === "authorized" ? "requires_capture" : event.status === "failed" ? "failed" : null;
    if (!to) return;
    await this.db
      .update(sandboxIntents)
      .set({ status: to, failureCode: to === "failed" ? (event.failureReason ?? "processing_error") : null, updatedAt: new Date() })
      .where(and(eq(sandboxIntents.id, event.providerPaymentId), eq(sandboxIntents.status, "processing")));
  }
}

const PAYMENT_EVENTS: Record<string, IntentStatus> = {
  "payment.succeeded": "authorized",
  "payment.captured": "captured",
  "payment.failed": "failed",
  "payment.canceled": "voided",
};

/**
 * The sandbox's event format (Stripe-like):
 * `{ id, type, created, data: { object: { id, amount_captured?, failure_code? } } }` for payment.*,
 * `{ ..., data: { object: { id, payment, amount, status } } }` for refund.*.
 */
export function parseSandboxEvent(rawBody: string): WebhookEvent {
  const body = JSON.parse(rawBody) as { id?: unknown; type?: unknown; created?: unknown; data?: { object?: Record<string, unknown> } };
  if (typeof body.id !== "string" || typeof body.type !== "string" || !body.data?.object || typeof body.data.object.id !== "string")
    throw new Error("expected { id, type, created, data: { object: { id } } }");
  const object = body.data.object;
  const metadata = object.metadata as Record<string, unknown> | undefined;
  const base = {
    id: body.id,
    type: body.type,
    occurredAt: typeof body.created === "number" ? new Date(body.created * 1000) : null,
    paymentId: typeof metadata?.payment_id === "string" ? metadata.payment_id : null,
  };
  const status = PAYMENT_EVENTS[body.type];
  if (status) {
    return {
      ...base,
      kind: "payment",
      providerPaymentId: object.id as string,
      status,
      amountCapturedMinor: typeof object.amount_captured === "number" ? object.amount_captured : undefined,
      failureReason:
        status === "failed"
          ? (asReason(typeof object.failure_code === "string" ? object.failure_code : "processing_error") ?? "processing_error")
          : null,
    };
  }
  if (body.type === "refund.succeeded" || body.type === "refund.failed") {
    if (typeof object.payment !== "string" || typeof object.amount !== "number")
      throw new Error("a refund event needs data.object.payment and data.object.amount");
    return {
      ...base,
      kind: "refund",
      providerPaymentId: object.payment,
      refund: {
        providerRefundId: object.id as string,
        status: body.type === "refund.succeeded" ? "succeeded" : "failed",
        amountMinor: object.amount,
      },
    };
  }
  return { ...base, kind: "unknown", providerPaymentId: typeof object.id === "string" ? object.id : null };
}
