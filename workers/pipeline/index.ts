/** Pipeline: every event validated, personal data scrubbed, facts loaded once; quarantine, dead letters and replay. */
import type { DeadLetterSink } from "../../queues/index.ts";
import { subscriptionsOf } from "../platform/events/handlers.ts";
import { defineFamily } from "../platform/family.ts";
import { pipelineConfig } from "./config.ts";
import { pipelineHandlers } from "./consumer.ts";
import { describeDeadLetter, recordDeadLetter } from "./dead-letters.ts";
import { PipelineErrors } from "./errors.ts";
import { pipelineStatsPrune } from "./jobs.ts";
import { pipelineRoutes } from "./routes.ts";

export const pipeline = defineFamily({
  name: "pipeline",
  config: pipelineConfig,
  routes: { "/api/pipeline": pipelineRoutes },
  jobs: [pipelineStatsPrune],
  handlers: { pipeline: subscriptionsOf(pipelineHandlers) },
  errors: PipelineErrors,
});

/** Dead-lettered messages, recorded for inspection and replay (the queue() entry hands them here). */
export const deadLetterSink: DeadLetterSink = {
  record: (db, body, queue, messageId, attempts) => recordDeadLetter(db, describeDeadLetter(body, queue, messageId, attempts)),
};
