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
 * Protocol notes: every message from the client after the start-up has a
 * type byte and a length; each `Sync` ('S') and simple `Query` ('Q') is
 * answered by exactly one `ReadyForQuery` ('Z') whose status byte is 'I' when
 * no transaction is open. A connection is released only when every such
 * message it was sent has been answered and the last answer said 'I'.
 */
import type net from "node:net";
import pg from "pg";

type Write = (chunk: Buffer) => void;

interface Backend {
  socket: net.Socket;
  client: pg.Client;
  onData: ((chunk: Buffer) => void) | null;
  broken: boolean;
}

export interface SessionPool {
  /** Serves one client session: `write` sends to the client, the returned callbacks take its bytes and its end. */
  attach(write: Write, end: () => void): { receive(chunk: Buffer): void; close(): void };
  stats(): { opened: number; clients: number };
  /** Opens the first connection (and learns the server's start-up parameters from it). */
  warm(): Promise<void>;
  close(): Promise<void>;
}

const msg = (type: string, body: Buffer) => {
  const head = Buffer.alloc(5);
  head.write(type, 0, "latin1");
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const cstr = (s: string) => Buffer.from(`${s}\0`, "utf8");

interface BackendPool {
  acquire(): Promise<Backend>;
  release(b: Backend, reusable: boolean): void;
  closeIdle(): void;
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

  function backendPool(url: string): BackendPool {
    const idle: Backend[] = [];
    const waiting: ((b: Backend) => void)[] = [];
    let total = 0;
    const acquire = (): Promise<Backend> => {
      for (let b = idle.pop(); b; b = idle.pop()) {
        if (!b.broken) return Promise.resolve(b);
        total--;
      }
      if (total < size) {
        total++;
        return open(url).catch((err) => {
          total--;
          throw err;
        });
      }
      return new Promise((resolve) => waiting.push(resolve));
    };
    const release = (b: Backend, reusable: boolean): void => {
      b.onData = null;
      if (!reusable || b.broken) {
        b.socket.destroy();
        total--;
        // A waiter gets a fresh connection in place of the lost one.
        const next = waiting.shift();
        if (next) {
          total++;
          open(url)
            .then(next)
            .catch(() => {
              total--;
            });
        }
        return;
      }
      const next = waiting.shift();
      if (next) next(b);
      else idle.push(b);
    };
    // Each idle connection is told to terminate, so the server ends its session at once.
    const closeIdle = () => {
      for (const b of idle.splice(0)) b.socket.end(msg("X", Buffer.alloc(0)));
    };
    return { acquire, release, closeIdle };
  }

  function poolFor(database: string): BackendPool {
    let pool = pools.get(database);
    if (!pool) {
      pool = backendPool(withDatabase(databaseUrl, database));
      pools.set(database, pool);
    }
    return pool;
  }

  function attach(write: Write, end: () => void) {
    clients++;
    let buffered: Buffer = Buffer.alloc(0);
    let phase: "startup" | "password" | "ready" | "closed" = "startup";
    let backend: Backend | null = null;
    let pool: BackendPool | null = null;
    let acquiring: Promise<Backend> | null = null;
    let outstanding = 0;
    let lastStatus = "I";
    let pendingToBackend: Buffer[] = [];
    let serverTail: Buffer = Buffer.alloc(0);

    const fail = (code: string, message: string) => {
      write(msg("E", Buffer.concat([cstr("SFATAL"), cstr(`C${code}`), cstr(`M${message}`), Buffer.from([0])])));
      close();
      end();
    };

    const fromServer = (chunk: Buffer) => {
      write(chunk);
      // Find the ReadyForQuery messages in the stream (messages may straddle chunks).
      let data = serverTail.length ? Buffer.concat([serverTail, chunk]) : chunk;
      while (data.length >= 5) {
        const len = data.readInt32BE(1);
        if (data.length < len + 1) break;
        if (data[0] === 0x5a) {
          outstanding--;
          lastStatus = String.fromCharCode(data[5]!);
        }
        data = data.subarray(len + 1);
      }
      serverTail = Buffer.from(data);
      if (backend && outstanding === 0 && lastStatus === "I" && serverTail.length === 0) {
        const b = backend;
        backend = null;
        pool!.release(b, true);
      }
    };

    const toServer = (message: Buffer) => {
      if (backend) {
        backend.socket.write(message);
        return;
      }
      pendingToBackend.push(message);
      if (acquiring) return;
      acquiring = pool!.acquire();
      acquiring
        .then((b) => {
          acquiring = null;
          if (phase === "closed") return pool!.release(b, true);
          backend = b;
          b.onData = fromServer;
          const queued = Buffer.concat(pendingToBackend);
          pendingToBackend = [];
          b.socket.write(queued);
        })
        .catch((err: Error) => fail("08006", `no database connection: ${err.message}`));
    };

    const onMessage = (type: number, whole: Buffer) => {
      if (type === 0x58) {
        // Terminate: the client is done; the pooled connection is not.
        close();
        end();
        return;
      }
      if (type === 0x53 || type === 0x51) outstanding++;
      toServer(whole);
    };

    function close() {
      if (phase === "closed") return;
      phase = "closed";
      clients--;
      if (backend) {
        const b = backend;
        backend = null;
        // Mid-transaction or mid-answer, the connection's state is unknown: drop it.
        pool!.release(b, outstanding === 0 && lastStatus === "I");
      }
    }

    const receive = (chunk: Buffer) => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      while (phase !== "closed") {
        if (phase === "startup") {
          if (buffered.length < 8) return;
          const len = buffered.readInt32BE(0);
          if (buffered.length < len) return;
          const code = buffered.readInt32BE(4);
          const startup = startupParams(buffered.subarray(8, len));
          buffered = buffered.subarray(len);
          if (code === 80877103) {
            write(Buffer.from("N")); // no TLS inside the relay's socket
            continue;
          }
          const database = startup.database ?? startup.user ?? "";
          if ((startup.user ?? "") !== user || !/^[A-Za-z0-9_]{1,63}$/.test(database))
            return fail("28000", `no access for user ${startup.user ?? "?"} to database ${database}`);
          pool = poolFor(database);
          write(msg("R", int32(3))); // cleartext password, as Neon's proxy asks
          phase = "password";
          continue;
        }
        if (buffered.length < 5) return;
        const len = buffered.readInt32BE(1);
        if (buffered.length < len + 1) return;
        const whole = buffered.subarray(0, len + 1);
        buffered = buffered.subarray(len + 1);
        if (phase === "password") {
          const given = whole.subarray(5, whole.length - 1).toString("utf8");
          if (whole[0] !== 0x70 || given !== password) return fail("28P01", "password authentication failed");
          const statuses = (params ?? []).map(([k, v]) => msg("S", Buffer.concat([cstr(k), cstr(v)])));
          write(
            Buffer.concat([
              msg("R", int32(0)),
              ...statuses,
              msg("K", Buffer.concat([int32(process.pid), int32(clients)])),
              msg("Z", Buffer.from("I")),
            ]),
          );
          phase = "ready";
          continue;
        }
        onMessage(whole[0]!, Buffer.from(whole));
      }
    };
    return { receive, close };
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

/** The key-value pairs of a start-up message's body (after its length and protocol version). */
function startupParams(body: Buffer): Record<string, string> {
  const parts = body.toString("utf8").split("\0");
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length && parts[i]; i += 2) out[parts[i]!] = parts[i + 1]!;
  return out;
}
