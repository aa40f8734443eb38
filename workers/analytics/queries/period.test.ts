/** The period of the analytics endpoints: defaults, parsing, buckets and limits. */
import { describe, expect, it } from "vitest";
import { bucketStarts, dayLabel, nextBucket, parseInstant, resolvePeriod, startOfBucket } from "./period.ts";

const d = (s: string) => new Date(s);

describe("periods", () => {
  it("default to the 30 days up to the end of today", () => {
    const r = resolvePeriod({}, d("2026-03-15T13:45:00Z"));
    expect(r.ok && [r.period.from.toISOString(), r.period.to.toISOString(), r.period.granularity]).toEqual([
      "2026-02-14T00:00:00.000Z",
      "2026-03-16T00:00:00.000Z",
      "day",
    ]);
  });

  it("take dates or date-times with an offset, and refuse anything else", () => {
    expect(parseInstant("2026-03-01")?.toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(parseInstant("2026-03-01T10:00:00+02:00")?.toISOString()).toBe("2026-03-01T08:00:00.000Z");
    for (const bad of ["yesterday", "2026-03-01T10:00:00", "2026-13-45", "1 March"]) expect(parseInstant(bad)).toBeNull();
    const r = resolvePeriod({ from: "2026-03-10", to: "2026-03-01" });
    expect(!r.ok && r.problems).toEqual([{ field: "from", message: "must be before `to`" }]);
    const many = resolvePeriod({ from: "2000-01-01", to: "2026-01-01", granularity: "day" });
    expect(!many.ok && many.problems[0]!.field).toBe("granularity");
    expect(resolvePeriod({ from: "2000-01-01", to: "2026-01-01", granularity: "month" }).ok).toBe(true);
  });

  it("read two equal dates as that one whole day, but not two equal date-times", () => {
    const day = resolvePeriod({ from: "2026-03-01", to: "2026-03-01" });
    expect(day.ok && [day.period.from.toISOString(), day.period.to.toISOString()]).toEqual([
      "2026-03-01T00:00:00.000Z",
      "2026-03-02T00:00:00.000Z",
    ]);
    const instant = resolvePeriod({ from: "2026-03-01T10:00:00Z", to: "2026-03-01T10:00:00Z" });
    expect(!instant.ok && instant.problems).toEqual([{ field: "from", message: "must be before `to`" }]);
  });

  it("cut into UTC days, ISO weeks from Monday, and months", () => {
    expect(dayLabel(startOfBucket(d("2026-03-01T23:59:00Z"), "week"))).toBe("2026-02-23");
    expect(dayLabel(startOfBucket(d("2026-03-02T00:00:00Z"), "week"))).toBe("2026-03-02");
    expect(dayLabel(startOfBucket(d("2026-03-31T12:00:00Z"), "month"))).toBe("2026-03-01");
    expect(dayLabel(nextBucket(d("2026-01-31T00:00:00Z"), "day"))).toBe("2026-02-01");
    const period = { from: d("2026-03-04T00:00:00Z"), to: d("2026-03-17T00:00:00Z"), granularity: "week" as const };
    expect(bucketStarts(period).map(dayLabel)).toEqual(["2026-03-02", "2026-03-09", "2026-03-16"]);
  });
});
