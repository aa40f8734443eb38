/**
 * Forgets consumer idempotency records older than 30 days. Queues keep
 * messages for at most 14 days, so no redelivery can be older than that.
 */
import { sql } from "drizzle-orm";
import type { Job } from "../../platform/job.ts";

export const PROCESSED_RETENTION_DAYS = 30;

export const processedEventsPrune: Job = {
  name: "processed-events-prune",
  description: `Delete consumer idempotency records older than ${PROCESSED_RETENTION_DAYS} days`,
  crons: ["17 3 * * *"],
  timeoutMs: 5 * 60_000,
  announceSuccess: true,
  async run({ db }) {
    const r = await db.execute(
      sql`delete from events.processed_events where processed_at < now() - make_interval(days => ${PROCESSED_RETENTION_DAYS})`,
    );
    return { deleted: r.rowCount ?? 0 };
  },
};
