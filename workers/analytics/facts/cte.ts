/**
 * Helpers of the fact loaders' CTEs (the pipeline runs them in its one
 * statement per event: workers/pipeline/statement.ts): the daily running
 * totals, and whether another CTE of the statement wrote a row.
 */
import { type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Cte, ScrubbedEvent } from "../../pipeline/index.ts";

export type { Cte } from "../../pipeline/index.ts";

/** The scrubbed event a loader of `contract` gets, typed by the contract's payload. */
export type FactEvent<C extends { payload: z.ZodType }> = ScrubbedEvent<z.output<C["payload"]>>;

/** The UTC calendar day of a timestamp parameter. */
export const utcDay = (iso: string | SQL) => sql`((${iso})::timestamptz at time zone 'UTC')::date`;

export interface DailyIncrement {
  day: SQL;
  /** '' for counts that carry no money. */
  currency: string | SQL;
  metric: string;
  value: number | SQL;
  /** Applied only when this is true (e.g. the fact was new). */
  when: SQL;
}

/**
 * One CTE adding to daily_metrics. The metrics of one call must be
 * distinct (one INSERT may touch a row once).
 */
export function dailyIncrements(name: string, rows: DailyIncrement[]): Cte {
  const values = rows.map((r) => sql`(${r.day}, (${r.currency})::text, ${r.metric}::text, (${r.value})::bigint, (${r.when})::boolean)`);
  return {
    name,
    query: sql`
      insert into analytics.daily_metrics as d (day, currency, metric, value)
      select v.day, v.currency, v.metric, v.value from (values ${sql.join(values, sql`, `)}) as v(day, currency, metric, value, applies)
      where v.applies and v.value <> 0
      on conflict (day, currency, metric) do update set value = d.value + excluded.value, updated_at = now()
      returning 1`,
  };
}

/** `exists (select 1 from <cte>)`: the CTE wrote (or returned) a row. */
export const wrote = (cte: string) => sql`exists (select 1 from ${sql.raw(cte)})`;
