/** What a scheduled job is: a name, the cron expressions that start it, and its work. */
import type { Database } from "./db.ts";
import type { Env } from "./env.ts";

export interface JobContext {
  env: Env;
  db: Database;
  runId: string;
  /** Hands background work (like the outbox relay) to the platform. */
  waitUntil: (p: Promise<unknown>) => void;
}

export interface Job {
  name: string;
  description: string;
  /** Cron expressions (as in wrangler.toml [triggers]) that start the job. */
  crons: string[];
  /** Upper bound of one run; the overlap lease lasts this long if the runner dies. */
  timeoutMs: number;
  /** Announce successful runs as JobRunCompleted events (failures are always announced). */
  announceSuccess: boolean;
  run(ctx: JobContext): Promise<Record<string, unknown>>;
}
