/** The scheduled() entry point of every runtime: each cron expression starts its families' jobs. */
import type { JobRegistry } from "../platform/job.ts";
import { log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { runJob } from "./runner.ts";

export async function handleScheduled(cron: string, rt: Runtime, registry: JobRegistry): Promise<void> {
  const jobs = registry.forCron(cron);
  if (jobs.length === 0) {
    log.warn("cron.unmatched", { cron });
    return;
  }
  const results = await Promise.allSettled(jobs.map((job) => runJob(rt, job, { trigger: "cron", cron })));
  for (const [i, r] of results.entries()) {
    if (r.status === "rejected") log.error("cron.job_not_run", { job: jobs[i]!.name, cron, error: String(r.reason) });
  }
}
