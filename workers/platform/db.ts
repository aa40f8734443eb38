/**
 * Postgres access through `@neondatabase/serverless` and drizzle.
 *
 * Two paths, chosen per statement: a statement outside a transaction is one
 * HTTP request to the SQL-over-HTTP endpoint (Neon's in production, the local
 * relay's otherwise), which keeps its Postgres sessions open, so a read costs
 * no session start-up; an interactive transaction takes a WebSocket session of
 * the request's own pool (Workers may not share I/O objects between requests),
 * opened on first use and closed when the request ends. `DATABASE_QUERY_PATH=session`
 * sends everything over the session instead (the benchmark's "before").
 *
 * The drizzle instance is built without the relational schema (the code uses
 * the query builder only), so opening a handle is a few allocations and no I/O.
 *
 * Neither path waits forever on a database that is gone: a session must open
 * within DATABASE_CONNECT_TIMEOUT_MS and every statement (HTTP request or
 * statement on a session) answer within DATABASE_STATEMENT_TIMEOUT_MS; the
 * gateway turns the failure into 503 DATABASE_UNAVAILABLE (db-errors.ts,
 * docs/degraded-mode.md).
 */
import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import { platformConfig } from "./config.ts";
import { log } from "./log.ts";
import type { Runtime } from "./runtime.ts";
import type { RequestCost } from "./server-timing.ts";
import { traceDatabase } from "./tracing/database-spans.ts";
import { spanCollectorOf, traceparentOf } from "./tracing/request-tracing.ts";
import { traceTransactions } from "./tracing/trace-carrier.ts";

export type Database = NeonDatabase;
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything that can run a query: the database or an open transaction. */
export type Queryable = Database | Tx;

export interface DbHandle {
  db: Database;
  pool: Pool;
  /** Sessions this handle's pool opened (none while every statement goes over HTTP). */
  sessions(): number;
  close(): Promise<void>;
}

let configured: string | undefined;
/**
 * The runtime's own fetch, taken when this module loads: the database's HTTP requests must not go through
 * a replacement installed later (tests stand in for providers' APIs by replacing the global fetch).
 */
const runtimeFetch: typeof fetch = globalThis.fetch.bind(globalThis);

/** Process-wide driver settings; every request of an isolate shares one configuration. */
function configureDriver(proxy: string | undefined, queryPath: "http" | "session", statementTimeoutMs: number): void {
  const key = `${proxy ?? ""}|${queryPath}|${statementTimeoutMs}`;
  if (configured === key) return;
  configured = key;
  neonConfig.poolQueryViaFetch = queryPath === "http";
  // An SQL-over-HTTP request that gets no answer in time is aborted (a TimeoutError, which db-errors.ts maps to 503).
  neonConfig.fetchFunction = (url: string, init: RequestInit) =>
    runtimeFetch(url, { ...init, signal: AbortSignal.timeout(statementTimeoutMs) });
  if (proxy) {
    // A plain Postgres behind the local relay: no TLS inside the socket, and the
    // relay's own SQL-over-HTTP endpoint (same host and port) for statements.
    neonConfig.wsProxy = (host: string, port: number | string) => `${proxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    // Like Neon's proxy, the local server asks for a cleartext password, so the
    // startup and password messages can go out together.
    neonConfig.pipelineConnect = "password";
    const relay = proxy.replace(/\/v2$/, "");
    neonConfig.fetchEndpoint = () => `http://${relay}/sql`;
  }
}

/**
 * Opens a handle; with `cost`, counts the statements and transactions sent through it; in a sampled
 * trace (the runtime carries its span collector), records a span for each (tracing/database-spans.ts).
 */
export function openDb(rt: Pick<Runtime, "vars">, cost?: RequestCost): DbHandle {
  const config = platformConfig.read(rt);
  configureDriver(config.NEON_WSPROXY, config.DATABASE_QUERY_PATH, config.DATABASE_STATEMENT_TIMEOUT_MS);
  const pool = new Pool({
    connectionString: config.DATABASE_URL,
    max: 4,
    connectionTimeoutMillis: config.DATABASE_CONNECT_TIMEOUT_MS,
    // Client-side: it also bounds a server that accepted the statement and then went silent.
    query_timeout: config.DATABASE_STATEMENT_TIMEOUT_MS,
  });
  // An idle connection dropped by the platform (request ended, socket lost) is not an error of ours.
  // ("error" is the one listener that keeps `Pool.query` on the HTTP path.)
  pool.on("error", (err: Error) => log.debug("db.idle_client_error", { error: err.message }));
  const db = cost ? countingDrizzle(pool, cost) : drizzle({ client: pool });
  const spans = spanCollectorOf(rt);
  if (spans) traceDatabase(pool, db, spans);
  // Traced work (a request, a job run): the events written through this database carry its traceparent.
  const cause = traceparentOf(rt);
  if (cause) traceTransactions(db, cause);
  let closed = false;
  let opened = 0;
  return {
    db,
    pool,
    sessions: () => Math.max(opened, pool.totalCount),
    async close() {
      if (closed) return;
      closed = true;
      opened = pool.totalCount;
      await pool.end().catch(() => undefined);
    },
  };
}

function countingDrizzle(pool: Pool, cost: RequestCost): Database {
  const db = drizzle({ client: pool, logger: { logQuery: () => void cost.statements++ } });
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn, config) => {
    cost.transactions++;
    return transaction(fn, config);
  }) as Database["transaction"];
  return db;
}

/** Opens a database for the duration of `fn` and always closes it. */
export async function withDb<T>(rt: Pick<Runtime, "vars">, fn: (db: Database) => Promise<T>): Promise<T> {
  const handle = openDb(rt);
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}
