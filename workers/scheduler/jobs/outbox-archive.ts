/**
 * Moves published outbox events older than the retention window to R2 as
 * NDJSON (one object per run), then deletes them from Postgres. The object is
 * written before the delete, so a failure keeps the events where they were.
 */
import { sql } from "drizzle-orm";
import type { Job } from "../../platform/job.ts";

export const OUTBOX_RETENTION_DAYS = 7;
const BATCH = 5000;

export const outboxArchive: Job = {
  name: "outbox-archive",
  description: `Archive published outbox events older than ${OUTBOX_RETENTION_DAYS} days to R2 and delete them`,
  crons: ["17 3 * * *"],
  timeoutMs: 10 * 60_000,
  announceSuccess: true,
  async run({ db, rt, runId }) {
    const rows = await db.execute<{ id: string; envelope: unknown; published_at: string }>(sql`
      select id, envelope, published_at from events.outbox
      where published_at < now() - make_interval(days => ${OUTBOX_RETENTION_DAYS})
      order by seq limit ${BATCH}`);
    if (rows.rows.length === 0) return { archived: 0 };
    const key = `outbox/${new Date().toISOString().slice(0, 10)}/${runId}.ndjson`;
    const body = rows.rows.map((r) => JSON.stringify(r.envelope)).join("\n") + "\n";
    await rt.blobs
      .bucket("BACKUPS")
      .put(key, body, { httpMetadata: { contentType: "application/x-ndjson" }, customMetadata: { events: String(rows.rows.length) } });
    const ids = rows.rows.map((r) => r.id);
    await db.execute(sql`delete from events.outbox where id = any(${sql.param(ids)}::text[])`);
    return { archived: ids.length, object: key };
  },
};
