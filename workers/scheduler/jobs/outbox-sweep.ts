/** Publishes outbox events that the after-commit relay did not (a crash, a queue outage). */
import { relayOutbox } from "../../../queues/outbox/relay.ts";
import type { Job } from "../../platform/job.ts";

export const outboxSweep: Job = {
  name: "outbox-sweep",
  description: "Publish outbox events left unpublished after their commit",
  crons: ["* * * * *"],
  timeoutMs: 50_000,
  announceSuccess: false,
  async run({ db, rt }) {
    const result = await relayOutbox(db, rt, { batchSize: 100, maxBatches: 50 });
    if (result.failed > 0) throw new Error(`${result.failed} events could not be published; they stay in the outbox`);
    return { ...result };
  },
};
