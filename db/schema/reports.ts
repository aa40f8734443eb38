/**
 * The reports family: every run of a report (on demand or by a schedule),
 * with its parameters, who asked with which access, its progress, and the
 * files it left in R2 (key, size, SHA-256); and the schedules that send a
 * report to a staff subscriber every day, week or month. Users are referred
 * to by id only (no cross-family keys).
 */
import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgSchema, text, timestamp } from "drizzle-orm/pg-core";

export const reportsSchema = pgSchema("reports");

export const REPORT_FORMATS = ["csv", "xlsx", "pdf"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const RUN_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** The access levels a report is cut for: the staff roles. */
export const ACCESS_LEVELS = ["admin", "analyst", "support"] as const;
export type Access = (typeof ACCESS_LEVELS)[number];
export const FREQUENCIES = ["daily", "weekly", "monthly"] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** One stored file of a run. */
export interface RunFile {
  key: string;
  bytes: number;
  sha256: string;
}

export const reportRuns = reportsSchema.table(
  "runs",
  {
    id: text("id").primaryKey(),
    definition: text("definition").notNull(),
    params: jsonb("params").$type<Record<string, unknown>>().notNull(),
    formats: text("formats").array().$type<ReportFormat[]>().notNull(),
    /** The definition, parameters, formats and access level in one hash: equal requests share a stored result. */
    requestKey: text("request_key").notNull(),
    /** The access level the report was cut for (admin, analyst or support). */
    access: text("access", { enum: ACCESS_LEVELS }).notNull(),
    requestedBy: text("requested_by"),
    scheduleId: text("schedule_id"),
    status: text("status", { enum: RUN_STATUSES }).notNull().default("queued"),
    /** 0 to 100. */
    progress: integer("progress").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    rowCount: integer("row_count"),
    files: jsonb("files").$type<Partial<Record<ReportFormat, RunFile>>>(),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** Set when retention removed the files; the run stays in the index. */
    purgedAt: timestamp("purged_at", { withTimezone: true }),
  },
  (t) => [
    index("runs_definition_created_idx").on(t.definition, t.createdAt),
    index("runs_request_key_idx").on(t.requestKey, t.createdAt),
    index("runs_pending_idx").on(t.createdAt).where(sql`status in ('queued', 'running')`),
  ],
);

export const reportSchedules = reportsSchema.table(
  "schedules",
  {
    id: text("id").primaryKey(),
    definition: text("definition").notNull(),
    params: jsonb("params").$type<Record<string, unknown>>().notNull(),
    formats: text("formats").array().$type<ReportFormat[]>().notNull(),
    frequency: text("frequency", { enum: FREQUENCIES }).notNull(),
    /** The staff user who receives the report (and whose access it is cut for). */
    subscriberId: text("subscriber_id").notNull(),
    access: text("access", { enum: ACCESS_LEVELS }).notNull(),
    createdBy: text("created_by").notNull(),
    active: boolean("active").notNull().default(true),
    /** The next period end at which the schedule fires. */
    nextRunAt: timestamp("next_run_at", { withTimezone: true }).notNull(),
    lastRunId: text("last_run_id"),
    /** Consecutive failed attempts of the current period's run. */
    failures: integer("failures").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("schedules_due_idx").on(t.nextRunAt).where(sql`active`), index("schedules_subscriber_idx").on(t.subscriberId)],
);
