/** The pipeline's maintenance: forget lag histogram minutes nobody asks about any more. */
import type { Job } from "../platform/job.ts";
import { pruneLagHistogram } from "./event-stats.ts";

export const LAG_HISTORY_DAYS = 7;

export const pipelineStatsPrune: Job = {
  name: "pipeline-stats-prune",
  description: `Delete lag histogram minutes older than ${LAG_HISTORY_DAYS} days (the statistics' windows are minutes to hours)`,
  crons: ["17 3 * * *"],
  timeoutMs: 5 * 60_000,
  announceSuccess: true,
  async run({ db }) {
    return { deleted: await pruneLagHistogram(db, LAG_HISTORY_DAYS) };
  },
};
