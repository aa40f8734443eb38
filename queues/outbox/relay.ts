/**
 * The outbox relay. Claims unpublished rows (FOR UPDATE SKIP LOCKED, with a
 * lease so a crashed publisher's rows are taken over later), publishes them,
 * then marks them published. A crash between send and mark republishes the
 * event: delivery is at least once and consumers are idempotent on the id.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../workers/platform/db.ts";
import { withDb } from "../../workers/platform/db.ts";
import type { Envelope } from "../../workers/platform/event-envelope.ts";
import { log } from "../../workers/platform/log.ts";
import type { Runtime } from "../../workers/platform/runtime.ts";
import { publishEnvelopes } from "../publisher.ts";

const CLAIM_SECONDS = 60;

export interface RelayResult {
  published: number;
  failed: number;
}

type ClaimedRow = {
  id: string;
  envelope: Envelope;
};

async function claim(db: Database, limit: number, ids?: string[]): Promise<ClaimedRow[]> {
  const onlyIds = ids ? sql`and id = any(${sql.param(ids)}::text[])` : sql``;
  const result = await db.execute<ClaimedRow>(sql`
    update events.outbox set claimed_until = now() + make_interval(secs => ${CLAIM_SECONDS}), attempts = attempts + 1
    where id in (
      select id from events.outbox
      where published_at is null and (claimed_until is null or claimed_until < now()) ${onlyIds}
      order by seq
      limit ${limit}
      for update skip locked
    )
    returning id, envelope`);
  return result.rows;
}

/** Publishes pending events: only `ids` when given (right after a commit), else the oldest first. */
export async function relayOutbox(
  db: Database,
  rt: Runtime,
  options: { ids?: string[]; batchSize?: number; maxBatches?: number } = {},
): Promise<RelayResult> {
  const batchSize = options.batchSize ?? 100;
  const maxBatches = options.ids ? 1 : (options.maxBatches ?? 20);
  const total: RelayResult = { published: 0, failed: 0 };
  for (let i = 0; i < maxBatches; i++) {
    const rows = await claim(db, options.ids ? options.ids.length : batchSize, options.ids);
    if (rows.length === 0) break;
    const ids = rows.map((r) => r.id);
    try {
      await publishEnvelopes(
        rt,
        rows.map((r) => r.envelope),
      );
      await db.execute(
        sql`update events.outbox set published_at = now(), claimed_until = null, last_error = null where id = any(${sql.param(ids)}::text[])`,
      );
      total.published += rows.length;
    } catch (err) {
      // Leave the rows for the sweep; release the claim so it need not wait for the lease.
      const message = err instanceof Error ? err.message : String(err);
      await db.execute(
        sql`update events.outbox set claimed_until = null, last_error = ${message} where id = any(${sql.param(ids)}::text[])`,
      );
      log.warn("outbox.publish_failed", { count: rows.length, error: message });
      total.failed += rows.length;
      break;
    }
    if (rows.length < batchSize) break;
  }
  return total;
}

/** The relay's after-commit entry point: publish these ids in the background of the request. */
export function relayAfterCommit(rt: Runtime, ids: string[]): void {
  if (ids.length === 0) return;
  rt.waitUntil(
    withDb(rt, (db) => relayOutbox(db, rt, { ids })).catch((err) => {
      log.warn("outbox.relay_failed", { error: err instanceof Error ? err.message : String(err), ids });
    }),
  );
}
