/**
 * Publishing a Durable Object's own SQLite outbox (the Inventory and Cart
 * objects keep one, since they cannot share a transaction with Postgres).
 * What is due goes to the queues in one batch; a failure keeps every row and
 * retries them with backoff; a row is deleted only after its publish, by its
 * event id, so nothing is lost and consumers absorb a repeat.
 */
import type { Envelope } from "../../workers/platform/event-envelope.ts";
import { errorFields, log } from "../../workers/platform/log.ts";
import type { Runtime } from "../../workers/platform/runtime.ts";
import { publishEnvelopes } from "../publisher.ts";

const BATCH = 100;

export interface PendingEvent {
  id: string;
  envelope: unknown;
  attempts: number;
}

/** The outbox rows of an object's store: both objects' tables have these columns. */
export interface ObjectOutbox {
  pendingEvents(dueBy: number, limit: number): PendingEvent[];
  markPublished(ids: string[]): void;
  markFailed(ids: string[], error: string, retryAt: number): void;
}

export const retryDelayMs = (attempts: number): number => Math.min(60_000, 1000 * 2 ** (attempts - 1));

/** Deletes by event id: an entry replaced by a newer one while its publish was under way stays. */
export function deletePublished(sql: SqlStorage, ids: string[]): void {
  for (const id of ids) sql.exec("DELETE FROM outbox WHERE id = ?", id);
}

export function recordFailure(sql: SqlStorage, ids: string[], error: string, retryAt: number): void {
  for (const id of ids)
    sql.exec("UPDATE outbox SET attempts = attempts + 1, last_error = ?, not_before = ? WHERE id = ?", error, retryAt, id);
}

export async function publishDue(
  rt: Pick<Runtime, "queues">,
  outbox: ObjectOutbox,
  dueBy: number,
  options: { beforeSend?: () => Promise<void>; failureLog: string; fields: Record<string, unknown> },
): Promise<void> {
  const pending = outbox.pendingEvents(dueBy, BATCH);
  if (pending.length === 0) return;
  const ids = pending.map((p) => p.id);
  try {
    await options.beforeSend?.();
    await publishEnvelopes(
      rt,
      pending.map((p) => p.envelope as Envelope),
    );
    outbox.markPublished(ids);
  } catch (err) {
    const attempts = Math.max(...pending.map((p) => p.attempts)) + 1;
    outbox.markFailed(ids, err instanceof Error ? err.message : String(err), Date.now() + retryDelayMs(attempts));
    log.warn(options.failureLog, { ...options.fields, count: ids.length, attempts, ...errorFields(err) });
  }
}
