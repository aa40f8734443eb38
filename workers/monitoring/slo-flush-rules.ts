/**
 * What an isolate owes the fleet's SLO counts, pure. The registry's counters
 * are cumulative per isolate; a flush sends what they gained since the last
 * flush the database acknowledged, per indicator, under one flush id (the
 * isolate's source id and a sequence number). A flush whose answer was lost
 * is sent again as it was (same id, same deltas, same time), so the
 * database's key absorbs the repeat; only an acknowledged flush moves the
 * baseline, so nothing counted in between is lost either.
 */
import type { Counts } from "./slo-rules.ts";
import type { Indicator } from "./slo-table.ts";

/** The indicator's name in the shared counts: what it measures, not which SLO reads it. */
export function indicatorKey(indicator: Indicator): string {
  switch (indicator.kind) {
    case "availability":
      return `availability:${indicator.routeClass}`;
    case "latency":
      return `latency:${indicator.routeClass}:${indicator.seconds}`;
    case "consumer_lag":
      return `consumer_lag:${indicator.seconds}`;
    default:
      return indicator.kind;
  }
}

export interface FlushBatch {
  source: string;
  seq: number;
  /** When the batch was taken (ms): the time its deltas count at in the windows. */
  at: number;
  deltas: { indicator: string; good: number; total: number }[];
  /** The cumulative counts the deltas lead to: the baseline once acknowledged. */
  snapshot: ReadonlyMap<string, Counts>;
}

export class CountLedger {
  #seq = 0;
  #flushed = new Map<string, Counts>();
  #pending: FlushBatch | null = null;

  constructor(readonly source: string) {}

  /**
   * The batch to write now: the unacknowledged one again (a retry), or what
   * the counters gained since the last acknowledged flush; null when nothing
   * moved. A counter below its baseline restarted: all of it is new.
   */
  next(current: ReadonlyMap<string, Counts>, at: number): FlushBatch | null {
    if (this.#pending) return this.#pending;
    const deltas: FlushBatch["deltas"] = [];
    for (const [indicator, now] of current) {
      const before = this.#flushed.get(indicator) ?? { good: 0, total: 0 };
      const reset = now.total < before.total || now.good < before.good;
      const delta = reset ? now : { good: now.good - before.good, total: now.total - before.total };
      if (delta.total > 0 || delta.good > 0) deltas.push({ indicator, ...delta });
    }
    if (deltas.length === 0) return null;
    this.#seq += 1;
    this.#pending = { source: this.source, seq: this.#seq, at, deltas, snapshot: new Map(current) };
    return this.#pending;
  }

  /** The database holds the batch: its counts become the baseline. */
  acknowledge(batch: FlushBatch): void {
    if (this.#pending !== batch) return;
    for (const [indicator, counts] of batch.snapshot) this.#flushed.set(indicator, counts);
    this.#pending = null;
  }
}

/** Whether a flush is due: none running, and at least the interval since the last one started (0: never). */
export function flushDue(lastStartedMs: number, nowMs: number, intervalMs: number, running: boolean): boolean {
  return intervalMs > 0 && !running && nowMs - lastStartedMs >= intervalMs;
}
