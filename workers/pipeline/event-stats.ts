/** Per topic and type: how many events the pipeline received, and how late. */
import { asc, sql } from "drizzle-orm";
import { eventStats } from "../../db/schema/pipeline.ts";
import type { Envelope } from "../../queues/contracts/envelope.ts";
import type { Database, Tx } from "../kernel/db.ts";

export async function recordEventStat(tx: Tx, event: Envelope): Promise<void> {
  const lag = sql`greatest(0, (extract(epoch from (now() - ${event.occurredAt}::timestamptz)) * 1000)::bigint)`;
  await tx
    .insert(eventStats)
    .values({ topic: event.topic, type: event.type, received: 1, lastOccurredAt: new Date(event.occurredAt), lastReceivedAt: sql`now()`, lastLagMs: lag, maxLagMs: lag })
    .onConflictDoUpdate({
      target: [eventStats.topic, eventStats.type],
      set: {
        received: sql`${eventStats.received} + 1`,
        lastOccurredAt: sql`greatest(${eventStats.lastOccurredAt}, excluded.last_occurred_at)`,
        lastReceivedAt: sql`now()`,
        lastLagMs: sql`excluded.last_lag_ms`,
        maxLagMs: sql`greatest(${eventStats.maxLagMs}, excluded.max_lag_ms)`,
      },
    });
}

export async function listEventStats(db: Database) {
  return db.select().from(eventStats).orderBy(asc(eventStats.topic), asc(eventStats.type));
}
