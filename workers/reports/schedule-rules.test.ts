import { describe, expect, it } from "vitest";
import { nextFire, periodOfFiring } from "./schedule-rules.ts";

const at = (s: string) => new Date(s);

describe("schedule firings", () => {
  it("fire an hour after the day, ISO week or month ends", () => {
    expect(nextFire("daily", at("2026-03-04T10:00:00Z")).toISOString()).toBe("2026-03-05T01:00:00.000Z");
    expect(nextFire("daily", at("2026-03-04T00:30:00Z")).toISOString()).toBe("2026-03-04T01:00:00.000Z");
    // 2026-03-04 is a Wednesday: the next Monday is 2026-03-09.
    expect(nextFire("weekly", at("2026-03-04T10:00:00Z")).toISOString()).toBe("2026-03-09T01:00:00.000Z");
    expect(nextFire("weekly", at("2026-03-09T01:00:00Z")).toISOString()).toBe("2026-03-16T01:00:00.000Z");
    expect(nextFire("monthly", at("2026-12-31T23:00:00Z")).toISOString()).toBe("2027-01-01T01:00:00.000Z");
    expect(nextFire("monthly", at("2026-03-01T00:59:59Z")).toISOString()).toBe("2026-03-01T01:00:00.000Z");
  });

  it("report on the complete span before the firing", () => {
    expect(periodOfFiring("daily", at("2026-03-05T01:00:00Z"))).toEqual({ from: "2026-03-04", to: "2026-03-05" });
    expect(periodOfFiring("weekly", at("2026-03-09T01:00:00Z"))).toEqual({ from: "2026-03-02", to: "2026-03-09" });
    expect(periodOfFiring("monthly", at("2027-01-01T01:00:00Z"))).toEqual({ from: "2026-12-01", to: "2027-01-01" });
    // A late firing (the Worker was down) still reports on the span it was due for.
    expect(periodOfFiring("weekly", at("2026-03-12T01:00:00Z"))).toEqual({ from: "2026-03-02", to: "2026-03-09" });
  });
});
