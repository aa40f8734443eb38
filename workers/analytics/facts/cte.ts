/**
 * Fact loading runs as one SQL statement per event: every write an event
 * causes (its fact, the dimension or order row it updates, the daily running
 * totals, and the pipeline's statistics) is a data-modifying CTE of that
 * statement, so an event costs one round trip to Postgres. CTEs of one
 * statement see the table as it was before the statement; a CTE reads what
 * another wrote only through its RETURNING, which is how the totals learn
 * whether a fact was new.
 */
import { sql, type SQL } from "drizzle-orm";

export interface Cte {
  /** Unique within the statement. */
  name: string;
  query: SQL;
}

export function composeStatement(ctes: Cte[]): SQL {
  if (ctes.length === 0) return sql`select 1`;
  const parts = ctes.map((c) => sql`${sql.raw(c.name)} as (${c.query})`);
  return sql`with ${sql.join(parts, sql`, `)} select 1`;
}

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
