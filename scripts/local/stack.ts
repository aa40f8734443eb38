/**
 * The local data platform: a real PostgreSQL server (embedded, or the one
 * DATABASE_URL names) and the wsproxy relay in front of it, so the Worker
 * talks to Postgres through @neondatabase/serverless exactly as in
 * production. A DATABASE_URL on Neon needs neither.
 */
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type DatabaseOutage, databaseOutage } from "./outage.ts";
import { assertPortFree, freePort } from "./ports.ts";
import { startLocalPostgres } from "./postgres.ts";
import { type Relay, startRelay } from "./wsproxy-relay.ts";

export interface Stack {
  /** Connection string for Node tools (migrate, seed). */
  databaseUrl: string;
  /** The Worker's vars: DATABASE_URL and, for a non-Neon server, NEON_WSPROXY. */
  workerVars: { DATABASE_URL: string; NEON_WSPROXY?: string };
  embedded: boolean;
  /** The local relay (WebSocket sessions, SQL over HTTP), when one is in front of the server. */
  relay?: Relay;
  /** The embedded server's outage drills (kill, freeze, start again); not for an external server. */
  outage?: DatabaseOutage;
  stop(): Promise<void>;
}

export interface StackOptions {
  mode: "dev" | "test";
  dataDir?: string;
  pgPort?: number;
  relayPort?: number;
  log?: (line: string) => void;
}

export function isNeon(url: string): boolean {
  return /\.neon\.tech(:\d+)?\//.test(url) || /\.neon\.build(:\d+)?\//.test(url);
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const external = process.env.DATABASE_URL;
  if (external && isNeon(external)) {
    return { databaseUrl: external, workerVars: { DATABASE_URL: external }, embedded: false, stop: async () => undefined };
  }
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    let databaseUrl = external;
    let embedded = false;
    let outage: DatabaseOutage | undefined;
    if (!databaseUrl) {
      const pgPort = options.pgPort ?? (await freePort());
      const pg = await startLocalPostgres({
        dataDir: options.dataDir ?? (options.mode === "dev" ? path.join(process.cwd(), ".data", "postgres") : throwawayDir()),
        port: pgPort,
        persistent: options.mode === "dev",
        log: process.env.DEBUG_PG ? (l) => options.log?.(l) : undefined,
      });
      stops.push(pg.stop);
      outage = databaseOutage(pg);
      // A frozen server would never stop: thaw it first.
      stops.push(() => outage!.thaw());
      databaseUrl = pg.url;
      embedded = true;
    }
    const target = new URL(databaseUrl);
    const address = `${target.hostname}:${target.port || "5432"}`;
    if (options.relayPort) await assertPortFree(options.relayPort, "the Postgres WebSocket relay", "RELAY_PORT");
    // Sessions are pooled per transaction, as behind Neon's pooled endpoint; RELAY_POOL=off relays each to a session of its own.
    const pooled = process.env.RELAY_POOL !== "off";
    // Tests inside workerd reach the outage drills through the relay; nothing else does.
    const drills = options.mode === "test" ? outage : undefined;
    const relay = await startRelay({ port: options.relayPort ?? 0, allow: [address], databaseUrl, pooled, outage: drills });
    stops.push(relay.close);
    return { databaseUrl, workerVars: { DATABASE_URL: databaseUrl, NEON_WSPROXY: relay.endpoint }, embedded, relay, outage, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A fresh folder for a throwaway cluster, traversable by the postgres user when running as root. */
function throwawayDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "edge-commerce-test-"));
  chmodSync(dir, 0o755);
  return path.join(dir, "pg");
}
