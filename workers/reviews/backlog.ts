/**
 * The moderation backlog, for the reports family: reviews waiting for a
 * moderator now (how many, for which reasons, how long: a review waits since
 * its last change, which is when it was posted, edited or sent back by
 * reports), the abuse reports still open, and the decisions moderators took
 * in a period (approved, rejected, hours from posting to decision, per day).
 * Aggregates only: no review text, author or reporter.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../platform/db.ts";

export interface ModerationBacklog {
  waiting: { pending: number; oldestHours: number | null; medianHours: number | null; openReports: number };
  byReason: { reason: string; pending: number; oldestHours: number | null }[];
  byAge: { age: string; pending: number }[];
  decisions: { approved: number; rejected: number; medianHoursToDecision: number | null };
  perDay: { day: string; approved: number; rejected: number }[];
}

const AGES = [
  { age: "under 1 day", below: 24 },
  { age: "1 to 3 days", below: 72 },
  { age: "3 to 7 days", below: 168 },
  { age: "7 days or more", below: Number.POSITIVE_INFINITY },
];

const n = (v: unknown) => Number(v ?? 0);
const hours = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

export async function moderationBacklog(
  db: Queryable,
  period: { from: Date; to: Date },
  now: Date,
  productId?: string,
): Promise<ModerationBacklog> {
  const product = (alias: string): SQL => (productId ? sql`and ${sql.raw(alias)}.product_id = ${productId}` : sql``);
  const at = now.toISOString();
  const waitedHours = sql`extract(epoch from ${at}::timestamptz - r.updated_at) / 3600.0`;
  const pending = await db.execute<{ reasons: string[]; waited: string | number }>(sql`
    select r.held_for as reasons, ${waitedHours} as waited from reviews.reviews r where r.status = 'pending' ${product("r")}`);
  const reports = await db.execute<{ open: string | number }>(sql`
    select count(*) as open from reviews.reports p join reviews.reviews r on r.id = p.review_id where p.resolved_at is null ${product("r")}`);
  const decided = await db.execute<{ day: string; status: string; decisions: string | number; median: string | number | null }>(sql`
    select to_char(r.moderated_at at time zone 'UTC', 'YYYY-MM-DD') as day, r.status, count(*) as decisions,
      percentile_cont(0.5) within group (order by extract(epoch from r.moderated_at - r.created_at) / 3600.0) as median
    from reviews.reviews r
    where r.status in ('approved', 'rejected') and r.moderated_at >= ${period.from.toISOString()}::timestamptz
      and r.moderated_at < ${period.to.toISOString()}::timestamptz ${product("r")}
    group by rollup (1, 2) order by 1, 2`);
  // Waiting times are sorted here: the backlog is at most a few thousand reviews.
  const waits = pending.rows.map((r) => n(r.waited)).sort((a, b) => a - b);
  const median = waits.length === 0 ? null : (waits[Math.floor((waits.length - 1) / 2)]! + waits[Math.ceil((waits.length - 1) / 2)]!) / 2;
  const reasons = new Map<string, number[]>();
  for (const r of pending.rows)
    for (const reason of r.reasons.length ? r.reasons : ["(none)"]) reasons.set(reason, [...(reasons.get(reason) ?? []), n(r.waited)]);
  const days = decided.rows.filter((r) => r.day !== null && r.status !== null);
  const total = decided.rows.find((r) => r.day === null);
  return {
    waiting: {
      pending: waits.length,
      oldestHours: hours(waits.at(-1) ?? null),
      medianHours: hours(median),
      openReports: n(reports.rows[0]?.open),
    },
    byReason: [...reasons.entries()]
      .map(([reason, w]) => ({ reason, pending: w.length, oldestHours: hours(Math.max(...w)) }))
      .sort((a, b) => b.pending - a.pending || a.reason.localeCompare(b.reason)),
    byAge: AGES.map((a, i) => ({ age: a.age, pending: waits.filter((w) => w >= (AGES[i - 1]?.below ?? 0) && w < a.below).length })),
    decisions: {
      approved: days.filter((d) => d.status === "approved").reduce((s, d) => s + n(d.decisions), 0),
      rejected: days.filter((d) => d.status === "rejected").reduce((s, d) => s + n(d.decisions), 0),
      medianHoursToDecision: hours(total?.median ?? null),
    },
    perDay: [...new Set(days.map((d) => d.day))].map((day) => ({
      day,
      approved: n(days.find((d) => d.day === day && d.status === "approved")?.decisions),
      rejected: n(days.find((d) => d.day === day && d.status === "rejected")?.decisions),
    })),
  };
}
