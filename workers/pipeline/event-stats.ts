/**
 * Per topic and type: how many events the pipeline received, how many were
 * valid and how many quarantined, and how late they arrived (occurrence to
 * processing): the last and the largest lag, and a histogram per minute for
 * percentiles over a window.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Database, Queryable } from "../platform/db.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import type { Cte } from "./statement.ts";

const lagMs = (occurredAt: string) =>
  sql`greatest(0, (extract(epoch from (clock_timestamp() - ${occurredAt}::timestamptz)) * 1000)::bigint)`;
/** Bucket b holds lags up to 2^(b/2) - 1 ms: about 41 % wide, enough for a p95 and cheap to keep. */
const lagBucket = (lag: SQL) => sql`least(63, ceil(2 * log(2, (${lag} + 1)::numeric)))::smallint`;
export const bucketUpperMs = (bucket: number) => Math.max(0, Math.round(2 ** (bucket / 2) - 1));

/** The statistics of a valid event, as CTEs of the event's one statement. */
export function validEventStats(event: Envelope): Cte[] {
  const lag = lagMs(event.occurredAt);
  return [
    {
      name: "st_counts",
      query: sql`
        insert into pipeline.event_stats as s (topic, type, received, valid, last_occurred_at, last_received_at, last_lag_ms, max_lag_ms)
        values (${event.topic}, ${event.type}, 1, 1, ${event.occurredAt}::timestamptz, clock_timestamp(), ${lag}, ${lag})
        on conflict (topic, type) do update set received = s.received + 1, valid = s.valid + 1,
          last_occurred_at = greatest(s.last_occurred_at, excluded.last_occurred_at), last_received_at = excluded.last_received_at,
          last_lag_ms = excluded.last_lag_ms, max_lag_ms = greatest(s.max_lag_ms, excluded.max_lag_ms)
        returning 1`,
    },
    {
      name: "st_lag",
      query: sql`
        insert into pipeline.lag_histogram as h (topic, type, minute, bucket, count)
        values (${event.topic}, ${event.type}, date_trunc('minute', clock_timestamp()), ${lagBucket(lag)}, 1)
        on conflict (topic, type, minute, bucket) do update set count = h.count + 1
        returning 1`,
    },
  ];
}

/** Counts a quarantined event (once: the caller runs it only for a new quarantine entry). */
export async function countQuarantined(tx: Queryable, topic: string, type: string): Promise<void> {
  await tx.execute(sql`
    insert into pipeline.event_stats as s (topic, type, received, quarantined, last_received_at) values (${topic}, ${type}, 1, 1, clock_timestamp())
    on conflict (topic, type) do update set received = s.received + 1, quarantined = s.quarantined + 1, last_received_at = excluded.last_received_at`);
}

export interface EventStat {
  topic: string;
  type: string;
  received: number;
  valid: number;
  quarantined: number;
  lastOccurredAt: string | null;
  lastReceivedAt: string | null;
  lastLagMs: number | null;
  maxLagMs: number | null;
  /** Valid events processed within the window, and the 95th percentile of their lag (upper bound of its histogram bucket). */
  windowReceived: number;
  p95LagMs: number | null;
}

/** The lag below which `share` of the counted events fall, from a histogram. */
export function percentileFromHistogram(buckets: { bucket: number; count: number }[], share: number): number | null {
  const total = buckets.reduce((n, b) => n + b.count, 0);
  if (total === 0) return null;
  const sorted = [...buckets].sort((a, b) => a.bucket - b.bucket);
  const rank = Math.ceil(share * total);
  let seen = 0;
  for (const b of sorted) {
    seen += b.count;
    if (seen >= rank) return bucketUpperMs(b.bucket);
  }
  return bucketUpperMs(sorted[sorted.length - 1]!.bucket);
}

export async function listEventStats(db: Database, windowMinutes: number): Promise<EventStat[]> {
  const stats = await db.execute<{
    topic: string;
    type: string;
    received: string;
    valid: string;
    quarantined: string;
    last_occurred_at: string | null;
    last_received_at: string | null;
    last_lag_ms: string | null;
    max_lag_ms: string | null;
  }>(
    sql`select topic, type, received, valid, quarantined, last_occurred_at, last_received_at, last_lag_ms, max_lag_ms from pipeline.event_stats order by topic, type`,
  );
  const hist = await db.execute<{ topic: string; type: string; bucket: number; count: string }>(sql`
    select topic, type, bucket, sum(count) as count from pipeline.lag_histogram
    where minute >= date_trunc('minute', now() - make_interval(mins => ${windowMinutes}))
    group by topic, type, bucket`);
  const byKey = new Map<string, { bucket: number; count: number }[]>();
  for (const h of hist.rows) {
    const key = `${h.topic}\u0000${h.type}`;
    byKey.set(key, [...(byKey.get(key) ?? []), { bucket: Number(h.bucket), count: Number(h.count) }]);
  }
  const num = (v: string | null) => (v === null ? null : Number(v));
  const iso = (v: string | null) => (v === null ? null : new Date(v).toISOString());
  return stats.rows.map((r) => {
    const buckets = byKey.get(`${r.topic}\u0000${r.type}`) ?? [];
    return {
      topic: r.topic,
      type: r.type,
      received: Number(r.received),
      valid: Number(r.valid),
      quarantined: Number(r.quarantined),
      lastOccurredAt: iso(r.last_occurred_at),
      lastReceivedAt: iso(r.last_received_at),
      lastLagMs: num(r.last_lag_ms),
      maxLagMs: num(r.max_lag_ms),
      windowReceived: buckets.reduce((n, b) => n + b.count, 0),
      p95LagMs: percentileFromHistogram(buckets, 0.95),
    };
  });
}

/** Forgets histogram minutes older than `days` (the windows asked for are minutes to hours). */
export async function pruneLagHistogram(db: Queryable, days: number): Promise<number> {
  const r = await db.execute(sql`delete from pipeline.lag_histogram where minute < now() - make_interval(days => ${days})`);
  return r.rowCount ?? 0;
}
