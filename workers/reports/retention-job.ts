/**
 * The `reports-retention` job (daily): removes the files of runs older than
 * REPORTS_RETENTION_DAYS from R2 and marks the runs purged. The runs stay in
 * the index (definition, parameters, who, when, row count, checksums), so
 * the history of what was produced outlives the files.
 */
import { and, asc, inArray, isNull, lt } from "drizzle-orm";
import { reportRuns } from "../../db/schema/reports.ts";
import type { Job } from "../platform/job.ts";
import { reportsConfig } from "./config.ts";
import { REPORTS_BUCKET } from "./run-executor.ts";

const BATCH = 500;

export const reportRetentionJob: Job = {
  name: "reports-retention",
  description: "Removes report files past their retention period from R2; the runs stay listed, marked purged",
  crons: ["17 3 * * *"],
  timeoutMs: 5 * 60_000,
  announceSuccess: true,
  async run({ rt, db }) {
    const now = rt.clock.now();
    const cutoff = new Date(now.getTime() - reportsConfig.read(rt).REPORTS_RETENTION_DAYS * 86_400_000);
    const old = await db
      .select({ id: reportRuns.id, files: reportRuns.files })
      .from(reportRuns)
      .where(and(isNull(reportRuns.purgedAt), inArray(reportRuns.status, ["succeeded", "failed"]), lt(reportRuns.createdAt, cutoff)))
      .orderBy(asc(reportRuns.createdAt))
      .limit(BATCH);
    const keys = old.flatMap((r) => Object.values(r.files ?? {}).map((f) => f!.key));
    const bucket = rt.blobs.bucket(REPORTS_BUCKET);
    // R2 deletes up to 1000 keys per call.
    for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
    if (old.length > 0)
      await db
        .update(reportRuns)
        .set({ purgedAt: now })
        .where(
          inArray(
            reportRuns.id,
            old.map((r) => r.id),
          ),
        );
    return { purgedRuns: old.length, deletedFiles: keys.length, cutoff: cutoff.toISOString() };
  },
};
