/** The data pipeline family: parked (dead-lettered) messages, quarantined events and event statistics. */
import { bigint, index, integer, jsonb, pgSchema, primaryKey, smallint, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const pipelineSchema = pgSchema("pipeline");

export const deadLetters = pipelineSchema.table(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    /** The consumer queue the message failed on (where a replay sends it back). */
    queue: text("queue").notNull(),
    /** The event id, or the queue message id when the body is not an event at all. */
    messageKey: text("message_key").notNull(),
    eventType: text("event_type"),
    body: jsonb("body").notNull(),
    reason: text("reason").notNull(),
    status: text("status", { enum: ["parked", "replayed"] })
      .notNull()
      .default("parked"),
    deadLetteredCount: integer("dead_lettered_count").notNull().default(1),
    replayCount: integer("replay_count").notNull().default(0),
    firstDeadAt: timestamp("first_dead_at", { withTimezone: true }).notNull().defaultNow(),
    lastDeadAt: timestamp("last_dead_at", { withTimezone: true }).notNull().defaultNow(),
    replayedAt: timestamp("replayed_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("dead_letters_queue_key_uq").on(t.queue, t.messageKey), index("dead_letters_status_idx").on(t.status, t.lastDeadAt)],
);

export const eventStats = pipelineSchema.table(
  "event_stats",
  {
    topic: text("topic").notNull(),
    type: text("type").notNull(),
    /** Every event handled for the first time: valid plus quarantined. */
    received: bigint("received", { mode: "number" }).notNull().default(0),
    valid: bigint("valid", { mode: "number" }).notNull().default(0),
    quarantined: bigint("quarantined", { mode: "number" }).notNull().default(0),
    lastOccurredAt: timestamp("last_occurred_at", { withTimezone: true }),
    lastReceivedAt: timestamp("last_received_at", { withTimezone: true }),
    /** Milliseconds from occurrence to processing of the most recent event. */
    lastLagMs: bigint("last_lag_ms", { mode: "number" }),
    maxLagMs: bigint("max_lag_ms", { mode: "number" }),
  },
  (t) => [primaryKey({ columns: [t.topic, t.type] })],
);

/**
 * Delivery lag per topic, type and minute of processing, as a histogram of
 * half-powers of two (bucket b holds lags up to 2^(b/2) ms), so a p95 over
 * any window is a sum of a few rows instead of a scan of every event.
 */
export const lagHistogram = pipelineSchema.table(
  "lag_histogram",
  {
    topic: text("topic").notNull(),
    type: text("type").notNull(),
    minute: timestamp("minute", { withTimezone: true }).notNull(),
    bucket: smallint("bucket").notNull(),
    count: bigint("count", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.topic, t.type, t.minute, t.bucket] }), index("lag_histogram_minute_idx").on(t.minute)],
);

/**
 * Events that failed validation against their registered contract (or have
 * none), kept whole with the reason and the zod issues until a replay after
 * a schema fix validates them. One row per event id (or queue message id).
 */
export const quarantine = pipelineSchema.table(
  "quarantine",
  {
    id: text("id").primaryKey(),
    eventKey: text("event_key").notNull(),
    topic: text("topic").notNull(),
    type: text("type").notNull(),
    version: integer("version"),
    body: jsonb("body").notNull(),
    reason: text("reason").notNull(),
    issues: jsonb("issues").notNull(),
    /** `consumer`: no contract for its type and version; `dead-letter`: refused by the consumer framework and parked. */
    origin: text("origin", { enum: ["consumer", "dead-letter"] }).notNull(),
    status: text("status", { enum: ["quarantined", "replayed"] })
      .notNull()
      .default("quarantined"),
    /** Times the event arrived invalid. */
    seenCount: integer("seen_count").notNull().default(1),
    /** Replays tried (successful or not). */
    attempts: integer("attempts").notNull().default(0),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    replayedAt: timestamp("replayed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("quarantine_event_key_uq").on(t.eventKey),
    index("quarantine_status_idx").on(t.status, t.id),
    index("quarantine_type_idx").on(t.type, t.status),
  ],
);
