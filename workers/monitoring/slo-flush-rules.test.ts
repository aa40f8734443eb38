/** An isolate's flushes of its SLO counts: deltas since the acknowledged baseline, a lost answer resent as it was. */
import { describe, expect, it } from "vitest";
import { CountLedger, flushDue, indicatorKey } from "./slo-flush-rules.ts";

const counts = (entries: Record<string, [good: number, total: number]>) =>
  new Map(Object.entries(entries).map(([k, [good, total]]) => [k, { good, total }]));

describe("count ledger", () => {
  it("sends what the counters gained since the last acknowledged flush, nothing when they did not move", () => {
    const ledger = new CountLedger("iso-a");
    const first = ledger.next(counts({ a: [8, 10], b: [0, 0] }), 1000);
    expect(first).toMatchObject({ source: "iso-a", seq: 1, at: 1000, deltas: [{ indicator: "a", good: 8, total: 10 }] });
    ledger.acknowledge(first!);
    const second = ledger.next(counts({ a: [9, 13], b: [1, 1] }), 2000);
    expect(second).toMatchObject({
      seq: 2,
      deltas: [
        { indicator: "a", good: 1, total: 3 },
        { indicator: "b", good: 1, total: 1 },
      ],
    });
    ledger.acknowledge(second!);
    expect(ledger.next(counts({ a: [9, 13], b: [1, 1] }), 3000)).toBeNull();
  });

  it("sends an unacknowledged flush again as it was (same id, deltas and time), then carries on from it", () => {
    const ledger = new CountLedger("iso-a");
    const lost = ledger.next(counts({ a: [5, 5] }), 1000);
    // More was counted while the answer was lost: the retry is still the same batch.
    const retry = ledger.next(counts({ a: [7, 9] }), 2000);
    expect(retry).toBe(lost);
    expect(retry).toMatchObject({ seq: 1, at: 1000, deltas: [{ indicator: "a", good: 5, total: 5 }] });
    ledger.acknowledge(retry!);
    expect(ledger.next(counts({ a: [7, 9] }), 3000)).toMatchObject({ seq: 2, deltas: [{ indicator: "a", good: 2, total: 4 }] });
  });

  it("counts everything after a counter went down (it restarted), and ignores a stale acknowledgement", () => {
    const ledger = new CountLedger("iso-a");
    const first = ledger.next(counts({ a: [50, 60] }), 1000)!;
    ledger.acknowledge(first);
    ledger.acknowledge(first);
    expect(ledger.next(counts({ a: [2, 3] }), 2000)).toMatchObject({ seq: 2, deltas: [{ indicator: "a", good: 2, total: 3 }] });
  });
});

describe("flush timing and indicator keys", () => {
  it("is due after the interval, never while one runs, never with an interval of 0", () => {
    expect(flushDue(0, 10_000, 10_000, false)).toBe(true);
    expect(flushDue(1, 10_000, 10_000, false)).toBe(false);
    expect(flushDue(0, 10_000, 10_000, true)).toBe(false);
    expect(flushDue(0, 10_000, 0, false)).toBe(false);
  });

  it("names an indicator by what it measures", () => {
    expect(indicatorKey({ kind: "availability", routeClass: "browse" })).toBe("availability:browse");
    expect(indicatorKey({ kind: "latency", routeClass: "search", seconds: 1 })).toBe("latency:search:1");
    expect(indicatorKey({ kind: "consumer_lag", seconds: 60 })).toBe("consumer_lag:60");
    expect(indicatorKey({ kind: "backup_drill" })).toBe("backup_drill");
  });
});
