/**
 * Fault injection points, read only when FAULT_INJECTION=on (tests and
 * chaos drills): a row makes the named point fail for the given key,
 * `remaining` times or, when null, until the row is deleted.
 */
import { doublePrecision, integer, pgSchema, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

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
 * The SLO evaluation's samples: each run of the `slo-evaluation` job stores
 * every SLO's cumulative good and total counts, so a window's burn rate is
 * the difference between now and the sample at the window's start.
 */
export const sloSamples = opsSchema.table(
  "slo_samples",
  {
    slo: text("slo").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    good: doublePrecision("good").notNull(),
    total: doublePrecision("total").notNull(),
  },
  (t) => [primaryKey({ columns: [t.slo, t.at] })],
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
