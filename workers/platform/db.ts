/**
 * Postgres access through `@neondatabase/serverless` (WebSocket Pool, so
 * interactive transactions work) and drizzle. Workers may not share I/O
 * objects between requests, so each request or job opens its own small pool
 * and closes it when done.
 */
import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import * as schema from "../../db/schema/index.ts";
import { platformConfig } from "./config.ts";
import { log } from "./log.ts";
import type { Runtime } from "./runtime.ts";

export type Database = NeonDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything that can run a query: the database or an open transaction. */
export type Queryable = Database | Tx;

export interface DbHandle {
  db: Database;
  pool: Pool;
  close(): Promise<void>;
}

export function openDb(rt: Pick<Runtime, "vars">): DbHandle {
  const config = platformConfig.read(rt);
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 4 });
  if (config.NEON_WSPROXY) {
    // A plain Postgres behind the local relay: no TLS inside the socket.
    // The setting is process-wide, and every request of an isolate shares one config.
    const proxy = config.NEON_WSPROXY;
    neonConfig.wsProxy = (host: string, port: number | string) => `${proxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    // Like Neon's proxy, the local server asks for a cleartext password, so the
    // startup and password messages can go out together.
    neonConfig.pipelineConnect = "password";
  }
  // An idle connection dropped by the platform (request ended, socket lost) is not an error of ours.
  pool.on("error", (err: Error) => log.debug("db.idle_client_error", { error: err.message }));
  const db = drizzle({ client: pool, schema });
  let closed = false;
  return {
    db,
    pool,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end().catch(() => undefined);
    },
  };
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
