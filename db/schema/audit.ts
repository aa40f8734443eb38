/**
 * The audit family: an append-only, hash-chained log of every domain event,
 * and signed checkpoints of the chain head. Updates and deletes of entries
 * are refused by a trigger (see the family's custom migration); retention may
 * delete only entries already covered by a checkpoint.
 */
import { sql } from "drizzle-orm";
import { bigint, bigserial, index, integer, jsonb, pgSchema, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const auditSchema = pgSchema("audit");

export const auditEntries = auditSchema.table(
  "entries",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    version: integer("version").notNull(),
    topic: text("topic").notNull(),
    source: text("source").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    actorType: text("actor_type"),
    actorId: text("actor_id"),
    correlationId: text("correlation_id").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, mode: "string" }).notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true, mode: "string" }).notNull(),
    /** The event payload with personal data removed (see redact.ts). */
    payload: jsonb("payload").notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    uniqueIndex("audit_entries_event_uq").on(t.eventId),
    index("audit_entries_subject_idx").on(t.subjectType, t.subjectId, t.seq),
    index("audit_entries_actor_idx").on(t.actorId, t.seq),
    index("audit_entries_type_time_idx").on(t.type, t.occurredAt),
    index("audit_entries_time_idx").on(t.occurredAt),
    // The outcome of a staff action by the attempt it names (workers/audit/queries.ts `attemptOutcomes`): without
    // it, a page holding an old attempt scans every outcome recorded since.
    index("audit_entries_outcome_attempt_idx")
      .on(sql`(${t.payload} ->> 'attemptId')`)
      .where(sql`${t.type} in ('StaffActionTaken', 'StaffActionFailed')`),
  ],
);

export const auditCheckpoints = auditSchema.table("checkpoints", {
  id: text("id").primaryKey(),
  /** The last entry the checkpoint covers, and its hash: verification resumes from here. */
  seq: bigint("seq", { mode: "number" }).notNull(),
  hash: text("hash").notNull(),
  entriesVerified: bigint("entries_verified", { mode: "number" }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  /** HMAC-SHA256 over `seq:hash:createdAt` with AUDIT_CHECKPOINT_KEY. */
  signature: text("signature").notNull(),
});
