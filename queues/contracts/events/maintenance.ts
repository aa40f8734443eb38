/** Maintenance events: the scheduler announces the end of every job run. */
import { z } from "zod";
import { defineEvent } from "../../../workers/platform/event-contracts.ts";

export const JobRunCompleted = defineEvent({
  type: "JobRunCompleted",
  version: 1,
  topic: "maintenance",
  description: "A scheduled or manually triggered job run finished (succeeded or failed).",
  payload: z.object({
    runId: z.string(),
    job: z.string(),
    trigger: z.enum(["cron", "manual"]),
    outcome: z.enum(["succeeded", "failed"]),
    durationMs: z.number().int().nonnegative(),
    error: z.string().nullable(),
  }),
});
