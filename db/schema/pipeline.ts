/** The data pipeline family: parked (dead-lettered) messages and event statistics. */
import { bigint, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex, index } from "drizzle-orm/pg-core";

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
    status: text("status", { enum: ["parked", "replayed"] }).notNull().default("parked"),
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
    received: bigint("received", { mode: "number" }).notNull().default(0),
    lastOccurredAt: timestamp("last_occurred_at", { withTimezone: true }),
    lastReceivedAt: timestamp("last_received_at", { withTimezone: true }),
    /** Milliseconds from occurrence to processing of the most recent event. */
    lastLagMs: bigint("last_lag_ms", { mode: "number" }),
    maxLagMs: bigint("max_lag_ms", { mode: "number" }),
  },
  (t) => [primaryKey({ columns: [t.topic, t.type] })],
);
