/**
 * The quarantine: events the pipeline refused, kept whole with the reason
 * and the zod issues, counted in the statistics, and replayed once a schema
 * fix makes them valid. They arrive two ways:
 *
 * - the consumer framework parks an envelope that is malformed or breaks
 *   its contract on the dead-letter queue (as for every group); the
 *   pipeline's dead-letter consumer records it as a dead letter and, for the
 *   pipeline's own queue, here;
 * - an event of a type and version with no registered contract passes the
 *   framework (other consumers may ignore what they do not know), but the
 *   pipeline handler quarantines it instead of loading it.
 *
 * A replay validates again: still invalid, it stays with `attempts + 1` and
 * the new reason; valid, it is sent back to the pipeline's queue (after its
 * processed mark is cleared, so the group handles it as new) and its dead
 * letter, if any, is closed too.
 */
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { quarantine } from "../../db/schema/pipeline.ts";
import { decodeCursor, keysetPage } from "../platform/cursor.ts";
import type { Database, Queryable } from "../platform/db.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import type { Runtime } from "../platform/runtime.ts";
import { PipelineErrors } from "./errors.ts";
import { countQuarantined } from "./event-stats.ts";
import { type EventLabel, type ValidationIssue, validateEvent } from "./validation.ts";

export const PIPELINE_QUEUE = "pipeline-events";
/** The binding that sends to the pipeline's queue. */
const PIPELINE_PRODUCER = "Q_PIPELINE";
const PIPELINE_CONSUMER = "pipeline";

export interface QuarantineInput extends EventLabel {
  eventKey: string;
  body: unknown;
  reason: string;
  issues: ValidationIssue[];
  origin: "consumer" | "dead-letter";
}

/** Idempotent per event key: a repeat arrival is counted in `seen_count` (and reopens a replayed entry), not in the statistics. */
export async function recordQuarantine(tx: Queryable, input: QuarantineInput): Promise<boolean> {
  const inserted = await tx.execute<{ fresh: boolean }>(sql`
    insert into pipeline.quarantine as q (id, event_key, topic, type, version, body, reason, issues, origin)
    values (${newId("qtn")}, ${input.eventKey}, ${input.topic}, ${input.type}, ${input.version}, ${JSON.stringify(input.body ?? null)}::jsonb,
      ${input.reason}, ${JSON.stringify(input.issues)}::jsonb, ${input.origin})
    on conflict (event_key) do update set seen_count = q.seen_count + 1, status = 'quarantined', reason = excluded.reason, issues = excluded.issues
    returning (xmax = 0) as fresh`);
  const fresh = inserted.rows[0]?.fresh === true;
  if (fresh) await countQuarantined(tx, input.topic, input.type);
  return fresh;
}

/** From the dead-letter consumer: a message the framework parked for failing validation on the pipeline's queue. */
export async function quarantineParked(tx: Queryable, body: unknown, eventKey: string): Promise<boolean> {
  const v = validateEvent(body);
  if (v.ok) return false;
  return recordQuarantine(tx, {
    eventKey,
    body,
    reason: v.reason,
    issues: v.issues,
    origin: "dead-letter",
    topic: v.topic,
    type: v.type,
    version: v.version,
  });
}

export type QuarantineRow = typeof quarantine.$inferSelect;

/** Newest first; the cursor's key is the last quarantined event's id. */
const QUARANTINE_SORT = "quarantine:newest";

export async function listQuarantine(
  db: Database,
  filter: { status?: "quarantined" | "replayed"; type?: string; limit: number; cursor?: string },
) {
  const [before] = filter.cursor ? decodeCursor(filter.cursor, QUARANTINE_SORT, ["string"]) : [];
  const where = and(
    filter.status ? eq(quarantine.status, filter.status) : undefined,
    filter.type ? eq(quarantine.type, filter.type) : undefined,
    before !== undefined ? lt(quarantine.id, before) : undefined,
  );
  const rows = await db
    .select()
    .from(quarantine)
    .where(where)
    .orderBy(desc(quarantine.id))
    .limit(filter.limit + 1);
  const { page, nextCursor } = keysetPage(rows, filter.limit, QUARANTINE_SORT, (r) => [r.id]);
  return { items: page, nextCursor };
}

export type ReplayOutcome = { outcome: "replayed"; row: QuarantineRow } | { outcome: "still-invalid"; row: QuarantineRow };

export async function replayQuarantined(db: Database, rt: Pick<Runtime, "queues">, id: string): Promise<ReplayOutcome> {
  const [row] = await db.select().from(quarantine).where(eq(quarantine.id, id));
  if (!row) throw notFound("quarantined event");
  if (row.status !== "quarantined")
    throw new ApiError(PipelineErrors.QUARANTINE_ALREADY_REPLAYED, `Quarantined event ${id} was already replayed`);
  const v = validateEvent(row.body);
  if (!v.ok) {
    const [still] = await db
      .update(quarantine)
      .set({ attempts: sql`${quarantine.attempts} + 1`, lastAttemptAt: sql`now()`, reason: v.reason, issues: v.issues })
      .where(and(eq(quarantine.id, id), eq(quarantine.status, "quarantined")))
      .returning();
    if (!still) throw new ApiError(PipelineErrors.QUARANTINE_ALREADY_REPLAYED, `Quarantined event ${id} was already replayed`);
    return { outcome: "still-invalid", row: still };
  }
  // Claimed first, so of two concurrent replays one sends.
  const claimed = await db.transaction(async (tx) => {
    const [c] = await tx
      .update(quarantine)
      .set({ status: "replayed", attempts: sql`${quarantine.attempts} + 1`, lastAttemptAt: sql`now()`, replayedAt: sql`now()` })
      .where(and(eq(quarantine.id, id), eq(quarantine.status, "quarantined")))
      .returning();
    if (!c) return null;
    // An event quarantined by the handler was marked processed with its batch; the replay must be handled as new.
    await tx.execute(sql`delete from events.processed_events where consumer = ${PIPELINE_CONSUMER} and event_id = ${v.event.id}`);
    await tx.execute(sql`update pipeline.dead_letters set status = 'replayed', replay_count = replay_count + 1, replayed_at = now()
      where queue = ${PIPELINE_QUEUE} and message_key = ${row.eventKey} and status = 'parked'`);
    return c;
  });
  if (!claimed) throw new ApiError(PipelineErrors.QUARANTINE_ALREADY_REPLAYED, `Quarantined event ${id} was already replayed`);
  try {
    // The stored body as it arrived: the consumer validates it again, exactly as it will be read.
    await rt.queues.send(PIPELINE_PRODUCER, row.body);
  } catch (err) {
    await db.update(quarantine).set({ status: "quarantined", replayedAt: null }).where(eq(quarantine.id, id));
    throw new ApiError(
      ErrorCode.DEPENDENCY_UNAVAILABLE,
      `The pipeline queue refused the event: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return { outcome: "replayed", row: claimed };
}

/** Replays the open entries (of one type, if given), oldest first, up to `limit`. */
export async function replayQuarantine(db: Database, rt: Pick<Runtime, "queues">, filter: { type?: string; limit: number }) {
  const open = await db
    .select({ id: quarantine.id })
    .from(quarantine)
    .where(and(eq(quarantine.status, "quarantined"), filter.type ? eq(quarantine.type, filter.type) : undefined))
    .orderBy(quarantine.id)
    .limit(filter.limit);
  const replayed: string[] = [];
  const stillInvalid: { id: string; reason: string }[] = [];
  const failed: { id: string; error: string }[] = [];
  for (const { id } of open) {
    try {
      const r = await replayQuarantined(db, rt, id);
      if (r.outcome === "replayed") replayed.push(id);
      else stillInvalid.push({ id, reason: r.row.reason });
    } catch (err) {
      failed.push({ id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { replayed, stillInvalid, failed };
}
