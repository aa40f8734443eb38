/**
 * The backups family: one row per backup, validation, restore or drill, with
 * its progress while it runs (rows and bytes done, the rows expected) and its
 * outcome. The backup sets themselves live in R2 (manifest + parts); this
 * table is the index and the progress board, and is itself left out of the
 * sets it describes.
 */
import { bigint, index, jsonb, pgSchema, text, timestamp } from "drizzle-orm/pg-core";

export const backupsSchema = pgSchema("backups");

export const backupOperations = backupsSchema.table(
  "operations",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["backup", "validate", "restore", "drill"] }).notNull(),
    /** The backup a validation, restore or drill reads; the backup's own id for a backup. */
    backupId: text("backup_id").notNull(),
    status: text("status", { enum: ["running", "complete", "failed"] }).notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    rowsDone: bigint("rows_done", { mode: "number" }).notNull().default(0),
    bytesDone: bigint("bytes_done", { mode: "number" }).notNull().default(0),
    /** An estimate at the start (Postgres statistics plus objects to visit), for the ETA. */
    rowsExpected: bigint("rows_expected", { mode: "number" }),
    /** The R2 key of the manifest (backups only; set once the run is complete). */
    manifestKey: text("manifest_key"),
    error: text("error"),
    result: jsonb("result"),
  },
  (t) => [index("operations_kind_started_idx").on(t.kind, t.startedAt), index("operations_backup_idx").on(t.backupId)],
);
