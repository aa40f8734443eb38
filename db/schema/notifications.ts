/**
 * The notifications family: one delivery record per message (event, channel,
 * recipient), the provider attempts behind it, the browsers' push
 * subscriptions, what providers reported through their webhooks, addresses
 * suppressed after hard bounces or complaints, and what the local capture
 * provider would have sent. Templates live in code, versioned with it.
 */
import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const notificationsSchema = pgSchema("notifications");

export const DELIVERY_STATUSES = ["queued", "sent", "delivered", "failed", "bounced", "complained", "skipped"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const deliveries = notificationsSchema.table(
  "deliveries",
  {
    id: text("id").primaryKey(),
    /**
     * SHA-256 over (source, channel, recipient): one record, and one message,
     * per event and recipient however often the event is handled. Also sent to
     * providers that take idempotency keys.
     */
    idempotencyKey: text("idempotency_key").notNull(),
    /** The event that caused the message, or the admin send request. */
    sourceId: text("source_id").notNull(),
    sourceType: text("source_type").notNull(),
    template: text("template").notNull(),
    category: text("category").notNull(),
    locale: text("locale").notNull(),
    channel: text("channel", { enum: ["email", "sms", "push"] }).notNull(),
    userId: text("user_id"),
    /** e.g. `a***@e***.com`, `+49******89`: enough to recognise, not to contact. */
    recipientMasked: text("recipient_masked"),
    /** SHA-256 of the normalised address: matches suppressions without storing the address. */
    recipientHash: text("recipient_hash").notNull(),
    /** Email subject or push title (no bodies: they may hold tokens). */
    subject: text("subject"),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull(),
    skipReason: text("skip_reason"),
    /** Send attempts (each may try several providers; see delivery_attempts). */
    attempts: integer("attempts").notNull().default(0),
    /** While a send is in flight: another worker leaves the record alone until then. */
    claimedUntil: timestamp("claimed_until", { withTimezone: true }),
    provider: text("provider"),
    providerMessageId: text("provider_message_id"),
    /** Whether the provider that sent it honoured the idempotency key (a resend after a crash is then not a second message). */
    providerIdempotent: boolean("provider_idempotent"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("deliveries_idempotency_uq").on(t.idempotencyKey),
    index("deliveries_user_idx").on(t.userId, t.id),
    index("deliveries_source_idx").on(t.sourceId),
    uniqueIndex("deliveries_provider_message_uq").on(t.provider, t.providerMessageId).where(sql`${t.providerMessageId} is not null`),
  ],
);

export const deliveryAttempts = notificationsSchema.table(
  "delivery_attempts",
  {
    id: text("id").primaryKey(),
    deliveryId: text("delivery_id").notNull(),
    /** The delivery's attempt number this provider call belonged to. */
    attempt: integer("attempt").notNull(),
    provider: text("provider").notNull(),
    outcome: text("outcome", { enum: ["sent", "failed"] }).notNull(),
    httpStatus: integer("http_status"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("delivery_attempts_delivery_idx").on(t.deliveryId, t.id)],
);

export const pushSubscriptions = notificationsSchema.table(
  "push_subscriptions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    /** The push service URL the browser gave; unique: a browser re-subscribing replaces its record. */
    endpoint: text("endpoint").notNull(),
    /** The browser's P-256 public key (65 bytes, base64url) and auth secret (16 bytes, base64url), RFC 8291. */
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSuccessAt: timestamp("last_success_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("push_subscriptions_endpoint_uq").on(t.endpoint), index("push_subscriptions_user_idx").on(t.userId)],
);

export const providerEvents = notificationsSchema.table(
  "provider_events",
  {
    id: text("id").primaryKey(),
    provider: text("provider").notNull(),
    /** The provider's id of the webhook event: a redelivered webhook is recorded once. */
    providerEventId: text("provider_event_id").notNull(),
    kind: text("kind", { enum: ["delivered", "bounce", "soft_bounce", "complaint", "undelivered", "other"] }).notNull(),
    providerMessageId: text("provider_message_id"),
    deliveryId: text("delivery_id"),
    /** The provider's description (bounce type, error code), without addresses. */
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("provider_events_uq").on(t.provider, t.providerEventId), index("provider_events_delivery_idx").on(t.deliveryId)],
);

export const suppressions = notificationsSchema.table(
  "suppressions",
  {
    channel: text("channel", { enum: ["email", "sms", "push"] }).notNull(),
    recipientHash: text("recipient_hash").notNull(),
    reason: text("reason", { enum: ["bounce", "complaint", "unsubscribed"] }).notNull(),
    deliveryId: text("delivery_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.recipientHash] })],
);

/** What the capture provider "sent": the whole message, for inspection in development. */
export const capturedMessages = notificationsSchema.table(
  "captured_messages",
  {
    id: text("id").primaryKey(),
    provider: text("provider").notNull(),
    channel: text("channel", { enum: ["email", "sms", "push"] }).notNull(),
    /** Like a provider's idempotency key: a resend with the same key stores nothing new. */
    idempotencyKey: text("idempotency_key").notNull(),
    deliveryId: text("delivery_id").notNull(),
    userId: text("user_id"),
    recipient: text("recipient").notNull(),
    subject: text("subject"),
    text: text("text").notNull(),
    html: text("html"),
    data: jsonb("data").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("captured_messages_key_uq").on(t.provider, t.idempotencyKey),
    index("captured_messages_recipient_idx").on(t.recipient, t.id),
    index("captured_messages_user_idx").on(t.userId),
  ],
);

/**
 * The frequency cap of cart reminders: one row per user, naming the
 * abandoned cart it last reminded them of and when. A reminder goes out only
 * if claiming this row succeeds (a conditional upsert in the consumer's
 * transaction): for the same cart again (a redelivered event), or once the
 * cap has passed. Two carts racing for one user serialise on the row.
 */
export const cartReminders = notificationsSchema.table("cart_reminders", {
  userId: text("user_id").primaryKey(),
  cartId: text("cart_id").notNull(),
  remindedAt: timestamp("reminded_at", { withTimezone: true }).notNull().defaultNow(),
});
