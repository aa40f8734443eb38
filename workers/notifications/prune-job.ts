/**
 * Daily housekeeping: messages the capture provider stored (whole bodies,
 * with their verification and reset links) are kept for a week, provider
 * attempt logs for 90 days. Delivery records stay: they are the users'
 * message history.
 */
import { sql } from "drizzle-orm";
import type { Job } from "../platform/job.ts";

export const CAPTURE_RETENTION_DAYS = 7;
export const ATTEMPT_RETENTION_DAYS = 90;

export const notificationsPrune: Job = {
  name: "notifications-prune",
  description: `Delete captured messages older than ${CAPTURE_RETENTION_DAYS} days and provider attempt logs older than ${ATTEMPT_RETENTION_DAYS} days`,
  crons: ["17 3 * * *"],
  timeoutMs: 5 * 60_000,
  announceSuccess: true,
  async run({ db }) {
    const captured = await db.execute(
      sql`delete from notifications.captured_messages where created_at < now() - make_interval(days => ${CAPTURE_RETENTION_DAYS})`,
    );
    const attempts = await db.execute(
      sql`delete from notifications.delivery_attempts where at < now() - make_interval(days => ${ATTEMPT_RETENTION_DAYS})`,
    );
    return { capturedDeleted: captured.rowCount ?? 0, attemptsDeleted: attempts.rowCount ?? 0 };
  },
};
