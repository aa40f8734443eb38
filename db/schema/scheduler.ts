/** The scheduler family: the log of every job run. */
import { index, jsonb, pgSchema, text, timestamp } from "drizzle-orm/pg-core";

export const schedulerSchema = pgSchema("scheduler");

export const jobRuns = schedulerSchema.table(
  "job_runs",
  {
    id: text("id").primaryKey(),
    job: text("job").notNull(),
    trigger: text("trigger", { enum: ["cron", "manual"] }).notNull(),
    cron: text("cron"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    outcome: text("outcome", { enum: ["running", "succeeded", "failed", "skipped"] }).notNull(),
    error: text("error"),
    result: jsonb("result"),
  },
  (t) => [index("job_runs_job_started_idx").on(t.job, t.startedAt)],
);
