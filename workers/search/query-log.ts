/**
 * The search-query log (query, filters, result count, latency), written
 * after the response is sent, and the zero-result report built from it.
 */
import { sql } from "drizzle-orm";
import type { AppContext } from "../platform/context.ts";
import { type Queryable, withDb } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import type { Job } from "../platform/job.ts";
import { errorFields, log } from "../platform/log.ts";

export interface QueryLogEntry {
  query: string;
  corrected: string | null;
  filters: Record<string, unknown>;
  sort: string;
  page: number;
  resultCount: number;
  latencyMs: number;
  requestId: string | null;
}

const params = (e: QueryLogEntry) => [
  newId("srq"),
  e.query,
  e.corrected,
  JSON.stringify(e.filters),
  e.sort,
  e.page,
  e.resultCount,
  e.latencyMs,
  e.requestId,
];

/**
 * Logs a search without making the shopper wait for it. The statement is sent
 * on the request's database before the response goes out (over HTTP it needs
 * no session; over a session, closing the request's pool waits for it), so the
 * write is never cut off.
 */
export async function logSearchInBackground(c: AppContext, entry: QueryLogEntry): Promise<void> {
  const handle = c.get("dbHandle");
  const failed = (err: unknown) => log.warn("search.query_log_failed", errorFields(err));
  let write: Promise<void>;
  try {
    write = handle ? insertQueryLog(handle.db, entry) : withDb(c.env, (db) => insertQueryLog(db, entry));
  } catch (err) {
    // The shopper's answer is ready; a log entry is not worth failing it for.
    return failed(err);
  }
  c.env.waitUntil(write.catch(failed));
}

/** Writes one entry now. */
export async function insertQueryLog(db: Queryable, entry: QueryLogEntry): Promise<void> {
  const [id, query, corrected, filters, sort, page, resultCount, latencyMs, requestId] = params(entry);
  await db.execute(sql`insert into search.query_log (id, query, normalized, corrected, filters, sort, page, result_count, latency_ms, request_id)
    values (${id}, ${query}, search.normalize(${query}), ${corrected}, ${filters}::jsonb, ${sort}, ${page}, ${resultCount}, ${latencyMs}, ${requestId})`);
}

export interface ZeroResultQuery {
  query: string;
  searches: number;
  lastSearchedAt: string;
  /** The most recent wording as typed. */
  example: string;
}

/** Queries that found nothing in the last `days`, most often searched first. */
export async function zeroResultQueries(
  db: Queryable,
  options: { days: number; page: number; limit: number },
): Promise<{ items: ZeroResultQuery[]; nextPage: number | null }> {
  const rows = await db.execute<{ query: string; searches: number; last_searched_at: Date | string; example: string }>(sql`
    select normalized as query, count(*)::int as searches, max(created_at) as last_searched_at,
      (array_agg(query order by created_at desc))[1] as example
    from search.query_log
    where result_count = 0 and created_at >= now() - make_interval(days => ${options.days}) and normalized <> ''
    group by normalized
    order by searches desc, last_searched_at desc, normalized
    limit ${options.limit + 1} offset ${(options.page - 1) * options.limit}`);
  const items = rows.rows.slice(0, options.limit).map((r) => ({
    query: r.query,
    searches: r.searches,
    lastSearchedAt: new Date(r.last_searched_at).toISOString(),
    example: r.example,
  }));
  return { items, nextPage: rows.rows.length > options.limit ? options.page + 1 : null };
}

export const QUERY_LOG_RETENTION_DAYS = 90;

export const searchQueryLogPrune: Job = {
  name: "search-query-log-prune",
  description: `Delete search-query log entries older than ${QUERY_LOG_RETENTION_DAYS} days`,
  crons: ["17 3 * * *"],
  timeoutMs: 5 * 60_000,
  announceSuccess: true,
  async run({ db }) {
    const r = await db.execute(
      sql`delete from search.query_log where created_at < now() - make_interval(days => ${QUERY_LOG_RETENTION_DAYS})`,
    );
    return { deleted: r.rowCount ?? 0 };
  },
};
