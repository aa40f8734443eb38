/**
 * Finishes returns whose inspection was recorded but whose restock or refund
 * did not complete (the process died between the steps, or a dependency was
 * down and nobody called inspect again). Every step is idempotent on keys
 * derived from the return, so finishing twice does nothing more; returns
 * inspected in the last few minutes are left to the request still working on them.
 */
import type { Job } from "../platform/job.ts";
import { errorFields, log } from "../platform/log.ts";
import { unfinishedReturns } from "./return-queries.ts";
import { finishReturn } from "./returns.ts";

export const RESUME_AFTER_SECONDS = 5 * 60;
const BATCH = 50;

export const deliveryReturnsResume: Job = {
  name: "delivery-returns-resume",
  description: `Finish returns inspected more than ${RESUME_AFTER_SECONDS / 60} minutes ago that were not restocked and refunded`,
  crons: ["* * * * *"],
  timeoutMs: 2 * 60_000,
  announceSuccess: false,
  async run({ rt, db, runId }) {
    const pending = await unfinishedReturns(db, RESUME_AFTER_SECONDS, BATCH);
    let finished = 0;
    let failed = 0;
    for (const ret of pending) {
      try {
        await finishReturn(rt, db, ret, { type: "system", id: "delivery-returns-resume" }, runId);
        finished++;
      } catch (err) {
        failed++;
        log.warn("delivery.return_resume_failed", { returnId: ret.id, ...errorFields(err) });
      }
    }
    return { found: pending.length, finished, failed };
  },
};
