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
 */
import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import { platformConfig } from "./config.ts";
import { log } from "./log.ts";
import type { Runtime } from "./runtime.ts";
import type { RequestCost } from "./server-timing.ts";

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
function configureDriver(proxy: string | undefined, queryPath: "http" | "session"): void {
  const key = `${proxy ?? ""}|${queryPath}`;
  if (configured === key) return;
  configured = key;
  neonConfig.poolQueryViaFetch = queryPath === "http";
  neonConfig.fetchFunction = runtimeFetch;
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

/** Opens a handle; with `cost`, counts the statements and transactions sent through it. */
export function openDb(rt: Pick<Runtime, "vars">, cost?: RequestCost): DbHandle {
  const config = platformConfig.read(rt);
  configureDriver(config.NEON_WSPROXY, config.DATABASE_QUERY_PATH);
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 4 });
  // An idle connection dropped by the platform (request ended, socket lost) is not an error of ours.
  // ("error" is the one listener that keeps `Pool.query` on the HTTP path.)
  pool.on("error", (err: Error) => log.debug("db.idle_client_error", { error: err.message }));
  const db = cost ? countingDrizzle(pool, cost) : drizzle({ client: pool });
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
