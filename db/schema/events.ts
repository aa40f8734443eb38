/**
 * The event backbone's tables: the transactional outbox and the per-consumer
 * record of processed events (consumer idempotency).
 */
import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgSchema, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

export const eventsSchema = pgSchema("events");

export const outbox = eventsSchema.table(
  "outbox",
  {
    /** The event id (`evt_...`), also the consumers' idempotency key. */
    id: text("id").primaryKey(),
    seq: bigserial("seq", { mode: "number" }).notNull(),
    topic: text("topic").notNull(),
    type: text("type").notNull(),
    envelope: jsonb("envelope").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** A publisher holds the row until this time; after it, another may take over. */
    claimedUntil: timestamp("claimed_until", { withTimezone: true }),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  (t) => [index("outbox_pending_idx").on(t.seq).where(sql`${t.publishedAt} is null`), index("outbox_published_idx").on(t.publishedAt)],
);

export const processedEvents = eventsSchema.table(
  "processed_events",
  {
    consumer: text("consumer").notNull(),
    eventId: text("event_id").notNull(),
    processedAt: timestamp("processed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.consumer, t.eventId] }), index("processed_events_time_idx").on(t.processedAt)],
);
