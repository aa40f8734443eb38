/**
 * The fleet's SLO counts: every isolate counts requests, messages and job
 * runs in its own registry, and flushes what its counters gained to
 * `ops.slo_counts` (one row per indicator, keyed by the flush's id, so a
 * repeated flush is counted once). The request path only accumulates in
 * memory: after a request, a queue batch or a cron run, a flush starts in
 * the background (`waitUntil`) when `SLO_FLUSH_SECONDS` have passed since the
 * isolate's last one. The evaluation sums every source's rows over its
 * windows (`fleetCounts`), so an SLO is judged by the whole fleet's traffic.
 */
import { and, gt, inArray, lte, sql } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { sloCounts } from "../../db/schema/ops.ts";
import type { AppEnv } from "../platform/context.ts";
import { type Queryable, withDb } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import { errorFields, log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { monitoringConfig } from "./config.ts";
import { CountLedger, type FlushBatch, flushDue, indicatorKey } from "./slo-flush-rules.ts";
import { indicatorCounts } from "./slo-indicators.ts";
import type { BurnPolicy, Counts } from "./slo-rules.ts";
import { type Indicator, SLOS } from "./slo-table.ts";

/** Every indicator the declared SLOs read, once each. */
const TABLE_INDICATORS: readonly Indicator[] = [...new Map(SLOS.map((s) => [indicatorKey(s.indicator), s.indicator])).values()];

/** This isolate's counts of each indicator, cumulative since it started. */
export function registryCounts(indicators: readonly Indicator[] = TABLE_INDICATORS): Map<string, Counts> {
  return new Map(indicators.map((i) => [indicatorKey(i), indicatorCounts(i)]));
}

/** Writes the batch; a batch already written (same source, sequence and indicator) adds nothing. */
export async function writeFlush(db: Queryable, batch: FlushBatch): Promise<void> {
  const at = new Date(batch.at);
  await db
    .insert(sloCounts)
    .values(batch.deltas.map((d) => ({ source: batch.source, seq: batch.seq, indicator: d.indicator, at, good: d.good, total: d.total })))
    .onConflictDoNothing();
}

/** Flushes what `current` gained over the ledger's acknowledged baseline (or resends its unacknowledged batch). */
export async function flushCounts(
  db: Queryable,
  ledger: CountLedger,
  current: ReadonlyMap<string, Counts>,
  at: number,
): Promise<FlushBatch | null> {
  const batch = ledger.next(current, at);
  if (!batch) return null;
  await writeFlush(db, batch);
  ledger.acknowledge(batch);
  return batch;
}

// The isolate's ledger: made on first use (random ids are not available while the module loads).
let isolate: CountLedger | undefined;
const isolateLedger = () => {
  isolate ??= new CountLedger(newId("iso"));
  return isolate;
};

/** The id this isolate's flushes go under. */
export const isolateSource = (): string => isolateLedger().source;

/** Flushes this isolate's registry now (the evaluation job does, before it reads the fleet's sums). */
export function flushIsolateCounts(db: Queryable, at: number): Promise<FlushBatch | null> {
  return flushCounts(db, isolateLedger(), registryCounts(), at);
}

let lastStarted = 0;
let running = false;

/** After a unit of work: a background flush when one is due (at most one per interval, one at a time, per isolate). */
export function flushSloCountsSoon(rt: Pick<Runtime, "vars" | "waitUntil">): void {
  let intervalMs = 0;
  try {
    intervalMs = monitoringConfig.read(rt).SLO_FLUSH_SECONDS * 1000;
  } catch {
    return;
  }
  const now = Date.now();
  if (!flushDue(lastStarted, now, intervalMs, running)) return;
  lastStarted = now;
  running = true;
  rt.waitUntil(
    withDb(rt, (db) => flushIsolateCounts(db, now))
      // The batch stays pending in the ledger: the next flush sends it again under the same id.
      .catch((err: unknown) => log.warn("slo.flush_failed", errorFields(err)))
      .finally(() => {
        running = false;
      }),
  );
}

/** The gateway's part: each request may start the isolate's due flush once it is answered. */
export const sloCountsFlush = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  flushSloCountsSoon(c.env);
});

export interface WindowCounts {
  long: Counts;
  short: Counts;
}

/** The fleet's counts of each indicator over the policy's windows ending at `nowMs`: every source's flushes inside them. */
export async function fleetCounts(db: Queryable, indicators: readonly string[], nowMs: number, policy: BurnPolicy) {
  const out = new Map<string, WindowCounts>(indicators.map((i) => [i, { long: { good: 0, total: 0 }, short: { good: 0, total: 0 } }]));
  if (indicators.length === 0) return out;
  const shortStart = new Date(nowMs - policy.shortWindowMs).toISOString();
  const inShort = sql`${sloCounts.at} > ${shortStart}::timestamptz`;
  const rows = await db
    .select({
      indicator: sloCounts.indicator,
      longGood: sql<number>`coalesce(sum(${sloCounts.good}), 0)`.mapWith(Number),
      longTotal: sql<number>`coalesce(sum(${sloCounts.total}), 0)`.mapWith(Number),
      shortGood: sql<number>`coalesce(sum(${sloCounts.good}) filter (where ${inShort}), 0)`.mapWith(Number),
      shortTotal: sql<number>`coalesce(sum(${sloCounts.total}) filter (where ${inShort}), 0)`.mapWith(Number),
    })
    .from(sloCounts)
    .where(
      and(
        inArray(sloCounts.indicator, [...indicators]),
        gt(sloCounts.at, new Date(nowMs - policy.longWindowMs)),
        lte(sloCounts.at, new Date(nowMs)),
      ),
    )
    .groupBy(sloCounts.indicator);
  for (const r of rows)
    out.set(r.indicator, { long: { good: r.longGood, total: r.longTotal }, short: { good: r.shortGood, total: r.shortTotal } });
  return out;
}
