/**
 * Grandfather-father-son retention as a pure function: of the complete
 * backup sets, keep the newest of each of the last N days, the newest of
 * each of the last N ISO weeks and the newest of each of the last N months
 * (UTC). The newest complete set is always kept, whatever the policy says.
 * Sets that never completed are dropped once a newer complete set exists
 * and they are older than a day (a run still writing is never touched).
 *
 * The policy counts full sets. An increment lives with its chain: it is kept
 * while its full is kept as the newest or as a daily set, so a kept
 * increment can always be restored, and dropped with it otherwise.
 */
import { z } from "zod";

export const RetentionPolicy = z.strictObject({
  daily: z.number().int().min(1).max(3650),
  weekly: z.number().int().min(0).max(520),
  monthly: z.number().int().min(0).max(1200),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

export interface StoredSet {
  id: string;
  startedAt: Date;
  complete: boolean;
  /** An increment: the full its chain starts from. */
  full?: string | null;
}

export interface RetentionPlan {
  keep: { id: string; reasons: string[] }[];
  drop: string[];
}

const INCOMPLETE_GRACE_MS = 24 * 3600_000;

const dayKey = (d: Date) => d.toISOString().slice(0, 10);
const monthKey = (d: Date) => d.toISOString().slice(0, 7);
/** ISO-8601 week, e.g. 2026-W49 (weeks start on Monday; week 1 holds the year's first Thursday). */
export function weekKey(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** The newest set of each of the `count` most recent buckets. */
function newestPerBucket(sets: StoredSet[], key: (d: Date) => string, count: number): string[] {
  const chosen: string[] = [];
  const seen = new Set<string>();
  for (const s of sets) {
    const k = key(s.startedAt);
    if (seen.has(k)) continue;
    if (seen.size === count) break;
    seen.add(k);
    chosen.push(s.id);
  }
  return chosen;
}

export function planRetention(sets: readonly StoredSet[], policy: RetentionPolicy, now: Date): RetentionPlan {
  const complete = sets.filter((s) => s.complete && !s.full).sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  const reasons = new Map<string, string[]>();
  const mark = (ids: string[], why: string) => {
    for (const id of ids) reasons.set(id, [...(reasons.get(id) ?? []), why]);
  };
  if (complete[0]) mark([complete[0].id], "newest");
  mark(newestPerBucket(complete, dayKey, policy.daily), "daily");
  mark(newestPerBucket(complete, weekKey, policy.weekly), "weekly");
  mark(newestPerBucket(complete, monthKey, policy.monthly), "monthly");

  const recent = new Set([...reasons].filter(([, why]) => why.includes("newest") || why.includes("daily")).map(([id]) => id));
  for (const s of sets) if (s.complete && s.full && recent.has(s.full)) mark([s.id], `increment of ${s.full}`);

  const newestComplete = complete[0]?.startedAt.getTime() ?? Number.POSITIVE_INFINITY;
  const drop: string[] = [];
  for (const s of sets) {
    if (reasons.has(s.id)) continue;
    if (s.complete) drop.push(s.id);
    else if (s.startedAt.getTime() < newestComplete && now.getTime() - s.startedAt.getTime() > INCOMPLETE_GRACE_MS) drop.push(s.id);
  }
  const keep = [...reasons].map(([id, why]) => ({ id, reasons: why }));
  return { keep, drop };
}
