/** The Worker's scheduled() entry point: each cron expression starts its registered jobs. */
import type { Env } from "../platform/env.ts";
import { log } from "../platform/log.ts";
import { jobsForCron } from "./registry.ts";
import { runJob } from "./runner.ts";

export async function handleScheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  const jobs = jobsForCron(controller.cron);
  if (jobs.length === 0) {
    log.warn("cron.unmatched", { cron: controller.cron });
    return;
  }
  const waitUntil = (p: Promise<unknown>) => ctx.waitUntil(p);
  const results = await Promise.allSettled(jobs.map((job) => runJob(env, job, { trigger: "cron", cron: controller.cron, waitUntil })));
  for (const [i, r] of results.entries()) {
    if (r.status === "rejected") log.error("cron.job_not_run", { job: jobs[i]!.name, cron: controller.cron, error: String(r.reason) });
  }
}
