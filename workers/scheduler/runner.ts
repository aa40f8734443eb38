/**
 * Runs one job: takes the job's lease from its JobLease Durable Object (a
 * run that finds the lease held is logged as skipped: two runs never
 * overlap), logs the run, and announces its end through the outbox in the
 * same transaction as the run's final state.
 */
import { eq } from "drizzle-orm";
import { jobRuns } from "../../db/schema/scheduler.ts";
import type { JobLease } from "../../durable-objects/job-lease/index.ts";
import { JobRunCompleted } from "../../queues/contracts/events/maintenance.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import { relayAfterCommit } from "../../queues/outbox/relay.ts";
import { withDb } from "../platform/db.ts";
import { failIfInjected } from "../platform/faults.ts";
import { newId } from "../platform/ids.ts";
import type { Job } from "../platform/job.ts";
import { errorFields, log } from "../platform/log.ts";
import { counter, histogram } from "../platform/metrics.ts";
import type { Runtime } from "../platform/runtime.ts";
import { startJobTrace } from "../platform/tracing/job-tracing.ts";
import { tracingSettings } from "../platform/tracing-config.ts";

export type JobRun = typeof jobRuns.$inferSelect;

export interface RunOptions {
  trigger: "cron" | "manual";
  cron?: string;
}

const jobRunsTotal = counter("job_runs_total", "Job runs by job and outcome (succeeded, failed)");
const jobDuration = histogram("job_duration_seconds", "Job run duration by job", [0.1, 0.5, 1, 5, 15, 60, 300, 900]);

/** Extra time past the job's own timeout before its lease lapses. */
const LEASE_MARGIN_MS = 30_000;

export async function runJob(runtime: Runtime, job: Job, options: RunOptions): Promise<JobRun> {
  const runId = newId("run");
  // Tracing on: the run is a trace of its own, and the events it writes carry it (tracing/job-tracing.ts).
  const tracingOn = tracingSettings(runtime);
  const tracing = tracingOn ? startJobTrace(runtime, tracingOn, job.name, runId) : undefined;
  const rt = tracing?.runtime ?? runtime;
  const lease = rt.objects.get<JobLease>("JOB_LEASE", job.name);
  const acquired = await lease.acquire(runId, job.timeoutMs + LEASE_MARGIN_MS);
  const run = await withDb(rt, async (db) => {
    const base = { id: runId, job: job.name, trigger: options.trigger, cron: options.cron ?? null };
    if (!acquired.acquired) {
      const [skipped] = await db
        .insert(jobRuns)
        .values({ ...base, outcome: "skipped", finishedAt: new Date(), error: `run ${acquired.heldBy.holder} is still in progress` })
        .returning();
      log.info("job.skipped", { job: job.name, runId, heldBy: acquired.heldBy.holder });
      return skipped!;
    }
    const started = Date.now();
    try {
      await db.insert(jobRuns).values({ ...base, outcome: "running" });
      let outcome: "succeeded" | "failed" = "succeeded";
      let error: string | null = null;
      let result: Record<string, unknown> | null = null;
      try {
        await failIfInjected(rt, db, `job:${job.name}`, "run");
        result = await job.run({ rt, db, runId });
      } catch (err) {
        outcome = "failed";
        error = err instanceof Error ? err.message : String(err);
        log.error("job.failed", { job: job.name, runId, ...errorFields(err) });
      }
      const durationMs = Date.now() - started;
      const finished = await transactionWithEvents(
        db,
        async (tx, events) => {
          const [row] = await tx
            .update(jobRuns)
            .set({ outcome, error, result, finishedAt: new Date() })
            .where(eq(jobRuns.id, runId))
            .returning();
          if (outcome === "failed" || job.announceSuccess) {
            await events.emit(JobRunCompleted, {
              subjectId: runId,
              source: "scheduler",
              correlationId: runId,
              actor: { type: "system", id: "scheduler" },
              payload: { runId, job: job.name, trigger: options.trigger, outcome, durationMs, error },
            });
          }
          return row!;
        },
        (ids) => relayAfterCommit(rt, ids),
      );
      jobRunsTotal.inc({ job: job.name, outcome });
      jobDuration.observe({ job: job.name }, durationMs / 1000);
      log.info("job.finished", { job: job.name, runId, outcome, durationMs });
      return finished;
    } finally {
      await lease.release(runId).catch((err) => log.warn("job.lease_release_failed", { job: job.name, runId, ...errorFields(err) }));
    }
  });
  tracing?.finish(run.outcome);
  return run;
}
