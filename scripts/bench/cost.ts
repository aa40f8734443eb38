/**
 * What a measured window cost, per request: the Worker's own counts (from
 * each answer's `Server-Timing`, see workers/platform/request-cost.ts), the
 * database server's (pg_stat_database: sessions started, transactions, tuples
 * read) and the relay's (WebSocket sessions, SQL-over-HTTP requests), and the
 * CPU time of each process group (workerd, postgres, this process: the load
 * generator and the relay) from /proc.
 */
import { readdirSync, readFileSync } from "node:fs";
import pg from "pg";
import type { Stack } from "../local/stack.ts";

interface DbStats {
  sessions: number;
  xacts: number;
  tuples: number;
}

interface Snapshot {
  db: DbStats;
  wsSessions: number;
  httpRequests: number;
  httpSessions: number;
  cpu: Record<string, Map<string, number>>;
}

export interface WindowCost {
  /** Per request. */
  pgSessions: number;
  pgTransactions: number;
  pgTuplesRead: number;
  relaySessions: number;
  httpStatements: number;
  cpuMs: Record<string, number>;
}

const TICK_MS = 1000 / 100; // USER_HZ

/** CPU milliseconds used so far by each live process named `comm`, by pid (a process that ends takes its count with it). */
function cpuOf(comm: string): Map<string, number> {
  const byPid = new Map<string, number>();
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== comm) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      // utime, stime, cutime, cstime (fields 14-17 of stat; 12-15 after the comm).
      byPid.set(pid, (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * TICK_MS);
    } catch {
      // The process ended while being read.
    }
  }
  return byPid;
}

/** CPU used between two readings by the processes alive at the second (new ones from zero). */
function cpuBetween(before: Map<string, number>, after: Map<string, number>): number {
  let ms = 0;
  for (const [pid, used] of after) ms += used - (before.get(pid) ?? 0);
  return ms;
}

export class CostMeter {
  private constructor(
    private readonly client: pg.Client,
    private readonly stack: Stack,
  ) {}

  static async open(stack: Stack): Promise<CostMeter> {
    const client = new pg.Client({ connectionString: stack.databaseUrl });
    await client.connect();
    return new CostMeter(client, stack);
  }

  async snapshot(): Promise<Snapshot> {
    const { rows } = await this.client.query<{ sessions: string; xacts: string; tuples: string }>(
      `select sessions, xact_commit + xact_rollback as xacts, tup_returned + tup_fetched as tuples
         from pg_stat_database where datname = current_database()`,
    );
    const r = rows[0]!;
    const http = this.stack.relay?.sql?.stats();
    const self = process.cpuUsage();
    return {
      db: { sessions: Number(r.sessions), xacts: Number(r.xacts), tuples: Number(r.tuples) },
      wsSessions: this.stack.relay?.sessions() ?? 0,
      httpRequests: http?.requests ?? 0,
      httpSessions: http?.opened ?? 0,
      cpu: {
        workerd: cpuOf("workerd"),
        postgres: cpuOf("postgres"),
        "load+relay": new Map([["self", (self.user + self.system) / 1000]]),
      },
    };
  }

  /** The cost per request between two snapshots (the meter's own statements excluded). */
  static perRequest(before: Snapshot, after: Snapshot, requests: number): WindowCost {
    const n = Math.max(1, requests);
    const per = (a: number, b: number, own = 0) => round((b - a - own) / n);
    return {
      pgSessions: per(before.db.sessions, after.db.sessions),
      // The meter's snapshot is one transaction of its own.
      pgTransactions: per(before.db.xacts, after.db.xacts, 1),
      pgTuplesRead: per(before.db.tuples, after.db.tuples),
      relaySessions: per(before.wsSessions, after.wsSessions),
      httpStatements: per(before.httpRequests, after.httpRequests),
      cpuMs: Object.fromEntries(Object.keys(after.cpu).map((k) => [k, round(cpuBetween(before.cpu[k]!, after.cpu[k]!) / n)])),
    };
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
