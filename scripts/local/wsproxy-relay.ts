/**
 * A small WebSocket-to-TCP relay speaking Neon's `wsproxy` protocol:
 * the client opens `ws://host:port/v2?address=pghost:pgport` and exchanges raw
 * Postgres wire bytes in binary frames. With it the Worker reaches a plain
 * PostgreSQL server through `@neondatabase/serverless`, the driver used in
 * production, so local runs and tests exercise the production code path.
 *
 * Only the addresses passed in `allow` may be reached: the relay is not an
 * open proxy. Given the database's URL, it also serves Neon's SQL-over-HTTP
 * endpoint at `/sql` from a persistent pool (sql-over-http.ts), the path
 * the Worker's reads and single-statement writes take.
 */
import { createServer, type Server } from "node:http";
import net from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import type { DatabaseOutage } from "./outage.ts";
import { type SessionPool, sessionPool } from "./session-pool.ts";
import { type SqlEndpoint, sqlOverHttp } from "./sql-over-http.ts";

export interface Relay {
  port: number;
  /** The value for `neonConfig.wsProxy`-style configuration: `host:port/v2` (`host:port/direct/v2`: never pooled). */
  endpoint: string;
  /** The SQL-over-HTTP endpoint's pool, when the relay serves one. */
  sql?: SqlEndpoint;
  /** WebSocket sessions relayed since the start (each is a new Postgres session). */
  sessions(): number;
  close(): Promise<void>;
}

export interface RelayOptions {
  port: number;
  allow: string[];
  host?: string;
  /** The database behind the relay: enables SQL over HTTP and, with `pooled`, transaction pooling of sessions. */
  databaseUrl?: string;
  pooled?: boolean;
  /** Test mode only: serves `POST /outage/<action>` (scripts/local/outage.ts), so tests inside workerd can stop the database. */
  outage?: Pick<DatabaseOutage, "handle">;
}

export async function startRelay(options: RelayOptions): Promise<Relay> {
  const host = options.host ?? "127.0.0.1";
  const allowed = new Set(options.allow);
  const sockets = new Set<net.Socket>();
  let sessions = 0;
  const sql = options.databaseUrl ? sqlOverHttp(options.databaseUrl) : undefined;
  const pool = options.databaseUrl && options.pooled ? sessionPool(options.databaseUrl) : undefined;
  await pool?.warm();
  const server: Server = createServer((req, res) => {
    if (sql && req.method === "POST" && req.url?.split("?")[0] === "/sql") return sql.handle(req, res);
    if (options.outage && req.url?.startsWith("/outage/")) return options.outage.handle(req, res);
    res.writeHead(426, { "content-type": "text/plain" }).end("WebSocket upgrade required\n");
  });
  server.keepAliveTimeout = 60_000;
  const wss = new WebSocketServer({ noServer: true });

  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://relay");
    const address = url.searchParams.get("address") ?? "";
    // `/direct/v2` gives the session a Postgres session of its own even when the relay pools (a benchmark's "before").
    const direct = url.pathname === "/direct/v2";
    if ((url.pathname !== "/v2" && !direct) || !allowed.has(address)) {
      socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    sessions++;
    wss.handleUpgrade(req, socket, head, (ws) => (pool && !direct ? pooledSession(ws, pool) : pipe(ws, address, sockets)));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    endpoint: `${host}:${port}/v2`,
    sql,
    sessions: () => sessions,
    close: async () => {
      await new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        for (const client of wss.clients) client.terminate();
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await sql?.close();
      await pool?.close();
    },
  };
}

function pipe(ws: WebSocket, address: string, sockets: Set<net.Socket>): void {
  const sep = address.lastIndexOf(":");
  const tcp = net.connect({ host: address.slice(0, sep), port: Number(address.slice(sep + 1)) });
  tcp.setNoDelay(true);
  sockets.add(tcp);
  // Bytes may arrive from the client before the TCP connection is up
  // (the driver pipelines its startup message); net.Socket buffers them.
  ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
    const chunk = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    tcp.write(chunk);
  });
  tcp.on("data", (chunk) => {
    if (ws.readyState === ws.OPEN) ws.send(chunk, { binary: true });
  });
  const closeBoth = () => {
    sockets.delete(tcp);
    tcp.destroy();
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
  };
  ws.on("close", closeBoth);
  ws.on("error", closeBoth);
  tcp.on("close", closeBoth);
  tcp.on("error", closeBoth);
}

/** A client session served by the pool: start-up answered by the relay, statements on a lent connection. */
function pooledSession(ws: WebSocket, pool: SessionPool): void {
  const session = pool.attach(
    (chunk) => {
      if (ws.readyState === ws.OPEN) ws.send(chunk, { binary: true });
    },
    () => ws.close(),
  );
  ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
    session.receive(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer));
  });
  ws.on("close", () => session.close());
  ws.on("error", () => session.close());
}
