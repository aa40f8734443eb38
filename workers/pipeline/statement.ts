/**
 * The pipeline writes each event with one SQL statement: every write the
 * event causes (its statistics, and the facts, dimension rows and running
 * totals its fact loaders add) is a data-modifying CTE of that statement, so
 * an event costs one round trip to Postgres. CTEs of one statement see the
 * tables as they were before the statement; a CTE reads what another wrote
 * only through its RETURNING, which is how totals learn whether a fact was new.
 */
import { type SQL, sql } from "drizzle-orm";

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
