/**
 * The period every analytics endpoint takes: `from` (inclusive) and `to`
 * (exclusive), as dates or date-times, in UTC, cut into day, week (ISO,
 * from Monday) or month buckets. Pure, so the bucketing is tested on its own
 * and the SQL uses the same boundaries.
 */
import { type SQL, sql } from "drizzle-orm";

export const GRANULARITIES = ["day", "week", "month"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export interface Period {
  from: Date;
  to: Date;
  granularity: Granularity;
}

export const DEFAULT_DAYS = 30;
export const MAX_BUCKETS = 1000;
const DAY_MS = 86_400_000;

export type PeriodProblem = { field: "from" | "to" | "granularity"; message: string };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A date (`2026-03-01`, midnight UTC) or a date-time with an offset. */
export function parseInstant(value: string): Date | null {
  const text = DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function startOfBucket(at: Date, g: Granularity): Date {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  if (g === "week") d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  if (g === "month") d.setUTCDate(1);
  return d;
}

export function nextBucket(start: Date, g: Granularity, n = 1): Date {
  const d = new Date(start);
  if (g === "day") d.setUTCDate(d.getUTCDate() + n);
  else if (g === "week") d.setUTCDate(d.getUTCDate() + 7 * n);
  else d.setUTCMonth(d.getUTCMonth() + n);
  return d;
}

/** The buckets a period covers: the first may start before `from`, each is labelled by its start. */
export function bucketStarts(p: Period): Date[] {
  const out: Date[] = [];
  for (let b = startOfBucket(p.from, p.granularity); b < p.to && out.length <= MAX_BUCKETS; b = nextBucket(b, p.granularity)) out.push(b);
  return out;
}

export const dayLabel = (d: Date) => d.toISOString().slice(0, 10);

/** Defaults: `to` is the start of tomorrow (today included), `from` 30 days before `to`. */
export function resolvePeriod(
  q: { from?: string; to?: string; granularity?: Granularity },
  now = new Date(),
): { ok: true; period: Period } | { ok: false; problems: PeriodProblem[] } {
  const problems: PeriodProblem[] = [];
  const to = q.to ? parseInstant(q.to) : new Date(startOfBucket(now, "day").getTime() + DAY_MS);
  if (!to) problems.push({ field: "to", message: "must be a date (YYYY-MM-DD) or a date-time with an offset" });
  const from = q.from ? parseInstant(q.from) : to ? new Date(to.getTime() - DEFAULT_DAYS * DAY_MS) : null;
  if (!from) problems.push({ field: "from", message: "must be a date (YYYY-MM-DD) or a date-time with an offset" });
  if (problems.length > 0 || !from || !to) return { ok: false, problems };
  // `from=2026-03-01&to=2026-03-01` asks for that one day: two equal dates are an inclusive single day.
  const end = q.from !== undefined && q.from === q.to && DATE_ONLY.test(q.from) ? new Date(to.getTime() + DAY_MS) : to;
  if (from >= end) return { ok: false, problems: [{ field: "from", message: "must be before `to`" }] };
  const period: Period = { from, to: end, granularity: q.granularity ?? "day" };
  if (bucketStarts(period).length > MAX_BUCKETS)
    return {
      ok: false,
      problems: [
        {
          field: "granularity",
          message: `the period has more than ${MAX_BUCKETS} buckets of a ${period.granularity}: use a coarser granularity`,
        },
      ],
    };
  return { ok: true, period };
}

// ---- SQL pieces over the same boundaries

const unit = (g: Granularity) => sql.raw(`'${g}'`);
export const fromParam = (p: Period) => sql`${p.from.toISOString()}::timestamptz`;
export const toParam = (p: Period) => sql`${p.to.toISOString()}::timestamptz`;
/** `col >= from and col < to`. */
export const within = (col: SQL, p: Period) => sql`${col} >= ${fromParam(p)} and ${col} < ${toParam(p)}`;
/** The bucket (a UTC timestamp without zone) that a timestamptz column falls in. */
export const bucketOf = (col: SQL, g: Granularity) => sql`date_trunc(${unit(g)}, ${col} at time zone 'UTC')`;
/** Every bucket of the period, as rows of `b`. */
export const bucketSeries = (p: Period) =>
  sql`select generate_series(date_trunc(${unit(p.granularity)}, ${fromParam(p)} at time zone 'UTC'), (${toParam(p)} at time zone 'UTC') - interval '1 microsecond', interval ${sql.raw(`'1 ${p.granularity}'`)}) as b`;
/** A bucket as its label, `YYYY-MM-DD`. */
export const labelOf = (b: SQL) => sql`to_char(${b}, 'YYYY-MM-DD')`;
