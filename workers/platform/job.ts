/** What a scheduled job is: a name, the cron expressions that start it, and its work. */
import type { Database } from "./db.ts";
import type { Runtime } from "./runtime.ts";

export interface JobContext {
  rt: Runtime;
  db: Database;
  /** Background work (like the outbox relay) goes to `rt.waitUntil`. */
  runId: string;
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

/** Every job of every family, by name and by cron expression. */
export interface JobRegistry {
  readonly all: readonly Job[];
  find(name: string): Job | undefined;
  forCron(cron: string): Job[];
}

export function jobRegistry(jobs: readonly Job[]): JobRegistry {
  const names = new Set<string>();
  for (const job of jobs) {
    if (names.has(job.name)) throw new Error(`Two jobs are named ${job.name}`);
    names.add(job.name);
  }
  return {
    all: jobs,
    find: (name) => jobs.find((j) => j.name === name),
    forCron: (cron) => jobs.filter((j) => j.crons.includes(cron)),
  };
}
