/**
 * The payments family. Our side: one payment record per authorisation
 * attempt, its refunds, and the provider webhook events already handled
 * (dedupe on the provider's event id). Provider side: the sandbox provider's
 * own state (`sandbox_*` tables), kept apart so the sandbox behaves like a
 * remote service with its own idempotency; nothing of ours reads them except
 * the sandbox adapter.
 */
import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const paymentsSchema = pgSchema("payments");

export const PAYMENT_STATUSES = [
  "requires_action",
  "authorizing",
  "authorized",
  "pending_settlement",
  "captured",
  "partially_refunded",
  "refunded",
  "voided",
  "failed",
] as const;
export const REFUND_STATUSES = ["pending", "succeeded", "failed"] as const;

const money = (name: string) => bigint(name, { mode: "number" });

export const payments = paymentsSchema.table(
  "payments",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    orderNumber: text("order_number").notNull(),
    userId: text("user_id").notNull(),
    provider: text("provider").notNull(),
    providerPaymentId: text("provider_payment_id"),
    /** The provider's id of the payment method (e.g. `pm_card_visa`): never card data. */
    paymentMethodId: text("payment_method_id").notNull(),
    amountMinor: money("amount_minor").notNull(),
    currency: text("currency").notNull(),
    capturedMinor: money("captured_minor").notNull().default(0),
    refundedMinor: money("refunded_minor").notNull().default(0),
    status: text("status", { enum: PAYMENT_STATUSES }).notNull(),
    failureReason: text("failure_reason"),
    retryable: boolean("retryable").notNull().default(false),
    /** The caller's key for the authorisation: stored before the provider is called. */
    idempotencyKey: text("idempotency_key").notNull(),
    /** Keys of the capture and void requests, recorded before the provider call. */
    captureKey: text("capture_key"),
    voidKey: text("void_key"),
    correlationId: text("correlation_id").notNull(),
    /** When the newest provider event applied to it happened: an older one arriving later is stale. */
    lastEventAt: timestamp("last_event_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("payments_order_key_uq").on(t.orderId, t.idempotencyKey),
    index("payments_order_idx").on(t.orderId, t.id),
    index("payments_user_idx").on(t.userId, t.id),
    uniqueIndex("payments_provider_payment_uq").on(t.provider, t.providerPaymentId).where(sql`${t.providerPaymentId} is not null`),
  ],
);

export const refunds = paymentsSchema.table(
  "refunds",
  {
    id: text("id").primaryKey(),
    paymentId: text("payment_id").notNull(),
    amountMinor: money("amount_minor").notNull(),
    currency: text("currency").notNull(),
    reason: text("reason").notNull(),
    /** `pending` from creation until the provider answers (and while it settles). */
    status: text("status", { enum: REFUND_STATUSES }).notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    providerRefundId: text("provider_refund_id"),
    failureReason: text("failure_reason"),
    correlationId: text("correlation_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("refunds_payment_key_uq").on(t.paymentId, t.idempotencyKey), index("refunds_payment_idx").on(t.paymentId, t.id)],
);

/** Provider webhook events seen, one row per (provider, event id): a redelivery is acknowledged without a second effect. */
export const webhookEvents = paymentsSchema.table(
  "webhook_events",
  {
    provider: text("provider").notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    providerPaymentId: text("provider_payment_id"),
    paymentId: text("payment_id"),
    /** applied, stale (older than the payment's state: recorded, ignored), unmatched, ignored (unknown type). */
    outcome: text("outcome").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] }), index("webhook_events_payment_idx").on(t.paymentId)],
);

// ---- provider side: the sandbox provider's own records

export const sandboxIntents = paymentsSchema.table(
  "sandbox_intents",
  {
    id: text("id").primaryKey(),
    /** The idempotency key of the request that created it. */
    createKey: text("create_key").notNull(),
    paymentMethod: text("payment_method").notNull(),
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    /** requires_capture, processing, succeeded, canceled, failed */
    status: text("status").notNull(),
    amountCaptured: money("amount_captured").notNull().default(0),
    amountRefunded: money("amount_refunded").notNull().default(0),
    failureCode: text("failure_code"),
    metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("sandbox_intents_create_key_uq").on(t.createKey)],
);

/** The sandbox's idempotency store: the first answer to a key is replayed to every repeat. */
export const sandboxRequests = paymentsSchema.table("sandbox_requests", {
  idempotencyKey: text("idempotency_key").primaryKey(),
  operation: text("operation").notNull(),
  /** What was asked, so a key reused for another request is refused like a real provider does. */
  fingerprint: text("fingerprint").notNull(),
  response: jsonb("response"),
  replays: integer("replays").notNull().default(0),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const sandboxRefunds = paymentsSchema.table(
  "sandbox_refunds",
  {
    id: text("id").primaryKey(),
    intentId: text("intent_id").notNull(),
    amount: money("amount").notNull(),
    status: text("status").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sandbox_refunds_intent_idx").on(t.intentId)],
);
