import { describe, expect, it } from "vitest";
import { planRetention, type StoredSet, weekKey } from "./retention.ts";

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);
const set = (d: Date, complete = true): StoredSet => ({ id: `bk_${d.toISOString()}`, startedAt: d, complete });

/** A year of nightly runs (02:41 UTC), each followed by the prune as the job would run it. */
function simulateYear(policy: { daily: number; weekly: number; monthly: number }, failing: (day: number) => boolean) {
  let stored: StoredSet[] = [];
  const start = at("2026-01-01T02:41:00Z").getTime();
  for (let day = 0; day < 365; day++) {
    const now = new Date(start + day * DAY);
    stored.push(set(now, !failing(day)));
    const plan = planRetention(stored, policy, new Date(now.getTime() + 40 * 60_000));
    expect(plan.drop.length + plan.keep.length).toBeLessThanOrEqual(stored.length);
    stored = stored.filter((s) => !plan.drop.includes(s.id));
  }
  return stored;
}

describe("planRetention", () => {
  it("after a simulated year keeps exactly the last 7 days, the newest of the last 5 weeks and of the last 12 months", () => {
    const kept = simulateYear({ daily: 7, weekly: 5, monthly: 12 }, () => false);
    const ids = new Set(kept.map((s) => s.startedAt.toISOString().slice(0, 10)));
    // Days: 2026-12-25 .. 2026-12-31.
    for (let d = 25; d <= 31; d++) expect(ids.has(`2026-12-${d}`)).toBe(true);
    // Months: the newest run of each month, that is each month's last day (December's is the 31st).
    for (const last of ["01-31", "02-28", "03-31", "04-30", "05-31", "06-30", "07-31", "08-31", "09-30", "10-31", "11-30"])
      expect(ids.has(`2026-${last}`)).toBe(true);
    // Weeks: the newest run of each of the last 5 ISO weeks (Sundays, and the current week's newest).
    const weeks = new Set(kept.map((s) => weekKey(s.startedAt)));
    for (const w of ["2026-W49", "2026-W50", "2026-W51", "2026-W52", "2026-W53"]) expect(weeks.has(w)).toBe(true);
    expect(ids.has("2026-12-20")).toBe(true); // Sunday of W51
    expect(ids.has("2026-12-13")).toBe(true); // Sunday of W50
    // Nothing else: the 7 days, the Sundays closing the 3 older weeks, and the ends of the 11 older months.
    const expected = new Set([
      ...[25, 26, 27, 28, 29, 30, 31].map((d) => `2026-12-${d}`),
      "2026-12-06",
      "2026-12-13",
      "2026-12-20",
      "2026-11-30",
      ...["01-31", "02-28", "03-31", "04-30", "05-31", "06-30", "07-31", "08-31", "09-30", "10-31"].map((x) => `2026-${x}`),
    ]);
    expect(ids).toEqual(expected);
  });

  it("never deletes the newest complete set, even when every later run failed", () => {
    const kept = simulateYear({ daily: 1, weekly: 0, monthly: 0 }, (day) => day >= 100);
    const complete = kept.filter((s) => s.complete);
    expect(complete).toHaveLength(1);
    expect(complete[0]!.startedAt.toISOString().slice(0, 10)).toBe("2026-04-10");
  });

  it("drops incomplete sets older than a day once a newer complete set exists, and leaves a run still writing alone", () => {
    const now = at("2026-06-10T03:00:00Z");
    const sets = [
      set(at("2026-06-10T02:41:00Z"), false), // running now
      set(at("2026-06-09T02:41:00Z")),
      set(at("2026-06-08T02:41:00Z"), false), // failed, a complete set came after it
    ];
    const plan = planRetention(sets, { daily: 7, weekly: 0, monthly: 0 }, now);
    expect(plan.drop).toEqual([sets[2]!.id]);
    expect(plan.keep.map((k) => k.id)).toEqual([sets[1]!.id]);
    expect(plan.keep[0]!.reasons).toEqual(["newest", "daily"]);
  });

  it("keeps increments with a recent full and drops them with their full; the policy counts fulls only", () => {
    const now = at("2026-06-10T21:00:00Z");
    const sets: StoredSet[] = [];
    for (let day = 0; day < 5; day++) {
      const base = at("2026-06-06T02:41:00Z").getTime() + day * DAY;
      const full = set(new Date(base));
      sets.push(full);
      for (const hours of [6, 12, 18]) sets.push({ ...set(new Date(base + hours * 3600_000)), full: full.id });
    }
    const plan = planRetention(sets, { daily: 2, weekly: 0, monthly: 0 }, now);
    const fulls = sets.filter((s) => !s.full).map((s) => s.id);
    const kept = new Set(plan.keep.map((k) => k.id));
    // The two newest fulls (not the two newest sets, which are increments) and every increment of theirs.
    expect(fulls.filter((id) => kept.has(id))).toEqual(fulls.slice(3));
    for (const s of sets.filter((x) => x.full)) expect(kept.has(s.id), s.id).toBe(fulls.slice(3).includes(s.full!));
    expect(plan.drop).toHaveLength(sets.length - 8);
    expect(plan.keep.find((k) => k.id === sets.at(-1)!.id)!.reasons).toEqual([`increment of ${fulls[4]}`]);
  });

  it("names ISO weeks across a year boundary", () => {
    expect(weekKey(at("2026-12-31T12:00:00Z"))).toBe("2026-W53");
    expect(weekKey(at("2027-01-03T12:00:00Z"))).toBe("2026-W53");
    expect(weekKey(at("2027-01-04T12:00:00Z"))).toBe("2027-W01");
  });
});
