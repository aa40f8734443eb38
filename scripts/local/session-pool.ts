/**
 * Transaction pooling for the relay's WebSocket sessions, as Neon's pooled
 * endpoint (PgBouncer in transaction mode) and Hyperdrive do in production:
 * the relay answers a client's start-up itself, and lends it one of a few
 * Postgres connections that stay open only while the client has work in
 * flight; when the server reports the client idle outside a transaction, the
 * connection goes back to the pool. A request's transaction so costs no
 * Postgres session start-up (about 5 ms of server CPU each).
 *
 * What transaction pooling does not keep, it does not keep here either:
 * session state set outside a transaction (`SET` without `LOCAL`, session
 * advisory locks, `LISTEN`, temporary tables, named prepared statements)
 * must not be relied on. The code base uses none of them.
 *
 * The pool lends each database's connections (backend-pool.ts) to the client
 * sessions it serves (client-session.ts).
 */
import type net from "node:net";
import pg from "pg";
import { type Backend, type BackendPool, backendPool } from "./backend-pool.ts";
import { clientSession, type Write } from "./client-session.ts";

export interface SessionPool {
  /** Serves one client session: `write` sends to the client, the returned callbacks take its bytes and its end. */
  attach(write: Write, end: () => void): { receive(chunk: Buffer): void; close(): void };
  stats(): { opened: number; clients: number };
  /** Opens the first connection (and learns the server's start-up parameters from it). */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/** The database a URL names, with another database name. */
function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

export function sessionPool(databaseUrl: string, size = 10): SessionPool {
  const target = new URL(databaseUrl);
  const password = decodeURIComponent(target.password);
  const user = decodeURIComponent(target.username);
  // One pool per database the clients name in their start-up (the shop's, a scratch one for restore drills).
  const pools = new Map<string, BackendPool>();
  let opened = 0;
  let clients = 0;
  let params: [string, string][] | null = null;

  async function open(url: string): Promise<Backend> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    opened++;
    if (!params) {
      const { rows } = await client.query<{ name: string; setting: string }>(
        `select name, setting from pg_settings where name in
           ('server_version','server_encoding','client_encoding','DateStyle','IntervalStyle','TimeZone','integer_datetimes','standard_conforming_strings')`,
      );
      params = rows.map((r) => [r.name, r.setting]);
    }
    // From here on the connection's bytes are ours: the client library only opened it.
    const socket = (client as unknown as { connection: { stream: net.Socket } }).connection.stream;
    socket.removeAllListeners("data");
    const backend: Backend = { socket, client, onData: null, broken: false };
    socket.on("data", (chunk: Buffer) => backend.onData?.(chunk));
    const lose = () => {
      backend.broken = true;
    };
    socket.on("close", lose);
    socket.on("error", lose);
    client.on("error", lose);
    return backend;
  }

  function poolFor(database: string): BackendPool {
    let pool = pools.get(database);
    if (!pool) {
      pool = backendPool(withDatabase(databaseUrl, database), size, open);
      pools.set(database, pool);
    }
    return pool;
  }

  function attach(write: Write, end: () => void) {
    clients++;
    return clientSession(
      {
        user,
        password,
        poolFor,
        startupParams: () => params ?? [],
        clients: () => clients,
        closed: () => {
          clients--;
        },
      },
      write,
      end,
    );
  }

  return {
    attach,
    stats: () => ({ opened, clients }),
    async warm() {
      const main = poolFor(decodeURIComponent(target.pathname.slice(1)));
      main.release(await main.acquire(), true);
    },
    async close() {
      for (const pool of pools.values()) pool.closeIdle();
    },
  };
}
