/**
 * Fault injection points, read only when FAULT_INJECTION=on (tests and
 * chaos drills): a row makes the named point fail for the given key,
 * `remaining` times or, when null, until the row is deleted.
 */
import { doublePrecision, index, integer, pgSchema, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

export const opsSchema = pgSchema("ops");

export const faultInjections = opsSchema.table(
  "fault_injections",
  {
    point: text("point").notNull(),
    key: text("key").notNull(),
    remaining: integer("remaining"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.point, t.key] })],
);

/**
 * The SLO indicators' counts, shared by the fleet: every isolate flushes the
 * good and total events it counted since its last flush, one row per
 * indicator, under the flush's id (the isolate's source id and its flush
 * sequence), so a retried flush is absorbed by the key and never counted
 * twice. A window's counts are the sum of the rows flushed inside it, over
 * every source (workers/monitoring/slo-flush.ts).
 */
export const sloCounts = opsSchema.table(
  "slo_counts",
  {
    source: text("source").notNull(),
    seq: integer("seq").notNull(),
    indicator: text("indicator").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    good: doublePrecision("good").notNull(),
    total: doublePrecision("total").notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.seq, t.indicator] }), index("slo_counts_indicator_at").on(t.indicator, t.at)],
);

/**
 * Each SLO's state: met or breached since when, its last burn rates, and
 * the alert raised on its last change until it is delivered (so a breach
 * raises one alert and a recovery one, retried until delivered).
 */
export const sloStates = opsSchema.table("slo_states", {
  slo: text("slo").primaryKey(),
  status: text("status", { enum: ["met", "breached"] }).notNull(),
  since: timestamp("since", { withTimezone: true }).notNull(),
  longBurn: doublePrecision("long_burn"),
  shortBurn: doublePrecision("short_burn"),
  breaches: integer("breaches").notNull().default(0),
  pendingAlert: text("pending_alert"),
  evaluatedAt: timestamp("evaluated_at", { withTimezone: true }).notNull(),
});
export type SloState = typeof sloStates.$inferSelect;
