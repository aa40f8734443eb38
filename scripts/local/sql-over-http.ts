/**
 * Neon's SQL-over-HTTP endpoint (`POST /sql`), served from a persistent pool
 * of connections to the local PostgreSQL server, so a Worker's reads and
 * single-statement writes cost one HTTP request each and no Postgres session
 * start-up, as they do against Neon in production.
 *
 * The protocol is the one `@neondatabase/serverless` speaks (`neon()` and
 * `Pool.query` with `poolQueryViaFetch`): a body `{ query, params }` answered
 * with `{ fields, rows, command, rowCount }`, rows as arrays of Postgres text
 * (the client parses them by type oid, header `Neon-Raw-Text-Output`), or a
 * batch `{ queries: [...] }` run as one transaction (isolation, read-only and
 * deferrable from the `Neon-Batch-*` headers) answered with `{ results }`.
 * A database error answers 400 with the server's error fields, which the
 * client turns into a `NeonDbError` carrying the same `code` and `constraint`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import pg from "pg";

interface SqlQuery {
  query: string;
  params?: unknown[];
}

/** Every value as the text Postgres sent: the client parses it, as against Neon. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value };
const ERROR_FIELDS = [
  "severity",
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "where",
  "schema",
  "table",
  "column",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
] as const;
const ISOLATION = new Set(["ReadUncommitted", "ReadCommitted", "RepeatableRead", "Serializable"]);
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface SqlEndpoint {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Sessions the pool opened and requests it answered since it started (a benchmark reads them). */
  stats(): { opened: number; requests: number; idle: number; total: number };
  close(): Promise<void>;
}

export function sqlOverHttp(databaseUrl: string, poolSize = 10): SqlEndpoint {
  const base = new URL(databaseUrl);
  // One pool per database the requests name (the shop's, a scratch one for restore drills), all on the one server.
  const pools = new Map<string, pg.Pool>();
  let opened = 0;
  let requests = 0;

  function poolFor(connectionString: string | undefined): pg.Pool {
    const asked = new URL(connectionString ?? databaseUrl);
    const database = decodeURIComponent(asked.pathname.slice(1));
    if (
      decodeURIComponent(asked.username) !== decodeURIComponent(base.username) ||
      decodeURIComponent(asked.password) !== decodeURIComponent(base.password) ||
      !/^[A-Za-z0-9_]{1,63}$/.test(database)
    )
      throw Object.assign(new Error(`no access to database ${database}`), { code: "28000" });
    let pool = pools.get(database);
    if (!pool) {
      const url = new URL(databaseUrl);
      url.pathname = `/${database}`;
      pool = new pg.Pool({ connectionString: url.toString(), max: poolSize, idleTimeoutMillis: 0 });
      pool.on("connect", () => opened++);
      // A pooled connection the server dropped is replaced on the next checkout.
      pool.on("error", () => undefined);
      pools.set(database, pool);
    }
    return pool;
  }

  async function run(client: pg.PoolClient | pg.Pool, q: SqlQuery) {
    const result = await client.query({ text: q.query, values: q.params ?? [], rowMode: "array", types: RAW_TEXT });
    return {
      command: result.command,
      rowCount: result.rowCount,
      fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID, tableID: f.tableID, columnID: f.columnID })),
      rows: result.rows,
    };
  }

  async function batch(pool: pg.Pool, queries: SqlQuery[], headers: IncomingMessage["headers"]) {
    const isolation = String(headers["neon-batch-isolation-level"] ?? "");
    const modes = [
      ISOLATION.has(isolation) ? `isolation level ${isolation.replace(/([a-z])([A-Z])/, "$1 $2").toLowerCase()}` : "",
      headers["neon-batch-read-only"] === "true" ? "read only" : "",
      headers["neon-batch-deferrable"] === "true" ? "deferrable" : "",
    ].filter(Boolean);
    const client = await pool.connect();
    try {
      await client.query(`begin ${modes.join(" ")}`);
      const results = [];
      for (const q of queries) results.push(await run(client, q));
      await client.query("commit");
      return { results };
    } catch (err) {
      await client.query("rollback").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  return {
    handle(req, res) {
      requests++;
      readBody(req)
        .then(async (body) => {
          const parsed = JSON.parse(body) as SqlQuery | { queries: SqlQuery[] };
          const pool = poolFor(req.headers["neon-connection-string"] as string | undefined);
          const answer = "queries" in parsed ? await batch(pool, parsed.queries, req.headers) : await run(pool, parsed);
          send(res, 200, answer);
        })
        .catch((err: unknown) => {
          const e = err as Record<string, unknown> & { message?: string };
          const fields = Object.fromEntries(ERROR_FIELDS.filter((k) => e[k] !== undefined).map((k) => [k, e[k]]));
          send(res, 400, { message: e.message ?? String(err), ...fields });
        });
    },
    stats: () => {
      const all = [...pools.values()];
      return { opened, requests, idle: all.reduce((n, p) => n + p.idleCount, 0), total: all.reduce((n, p) => n + p.totalCount, 0) };
    },
    close: async () => {
      await Promise.all([...pools.values()].map((p) => p.end()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}
