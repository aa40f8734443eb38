/**
 * Fault injection points, read only when FAULT_INJECTION=on (tests and
 * chaos drills): a row makes the named point fail for the given key,
 * `remaining` times or, when null, until the row is deleted.
 */
import { integer, pgSchema, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

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
