/**
 * One client's session through the relay's session pool: the relay answers
 * its start-up and password itself, then passes its messages to a connection
 * borrowed from the pool while it has work in flight, and gives the
 * connection back when the server reports it idle outside a transaction.
 *
 * Protocol notes: every message from the client after the start-up has a
 * type byte and a length; each `Sync` ('S') and simple `Query` ('Q') is
 * answered by exactly one `ReadyForQuery` ('Z') whose status byte is 'I' when
 * no transaction is open. A connection is released only when every such
 * message it was sent has been answered and the last answer said 'I'.
 */
import type { Backend, BackendPool } from "./backend-pool.ts";
import { cstr, int32, msg, startupParams } from "./pg-wire.ts";

/** Sends bytes to the client. */
export type Write = (chunk: Buffer) => void;

/** What a session needs from the pool that serves it. */
export interface SessionServer {
  /** The credentials a client must present (the database's own). */
  user: string;
  password: string;
  /** The connections of the database the client names in its start-up. */
  poolFor(database: string): BackendPool;
  /** The server's start-up parameters, passed on to the client as the server would send them. */
  startupParams(): [string, string][];
  /** Sessions open now (the session's key data carries it). */
  clients(): number;
  /** Called once when the session closes. */
  closed(): void;
}

/** Serves one client session: `write` sends to the client, the returned callbacks take its bytes and its end. */
export function clientSession(server: SessionServer, write: Write, end: () => void): { receive(chunk: Buffer): void; close(): void } {
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
    server.closed();
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
        if ((startup.user ?? "") !== server.user || !/^[A-Za-z0-9_]{1,63}$/.test(database))
          return fail("28000", `no access for user ${startup.user ?? "?"} to database ${database}`);
        pool = server.poolFor(database);
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
        if (whole[0] !== 0x70 || given !== server.password) return fail("28P01", "password authentication failed");
        const statuses = server.startupParams().map(([k, v]) => msg("S", Buffer.concat([cstr(k), cstr(v)])));
        write(
          Buffer.concat([
            msg("R", int32(0)),
            ...statuses,
            msg("K", Buffer.concat([int32(process.pid), int32(server.clients())])),
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
