/**
 * Pipeline: every event validated, personal data scrubbed, then its
 * statistics and the facts of the loaders it was built with written in one
 * statement; quarantine, dead letters and replay. The composition root
 * builds it with the fact loaders of the families that keep facts
 * (`pipelineFamily({ factLoaders })`); the pipeline imports none of them.
 */
import type { DeadLetterSink } from "../../queues/index.ts";
import { onEvery } from "../platform/event-handlers.ts";
import { defineFamily } from "../platform/family.ts";
import { pipelineConfig } from "./config.ts";
import { pipelineConsumer } from "./consumer.ts";
import { describeDeadLetter, recordDeadLetter } from "./dead-letters.ts";
import { PipelineErrors } from "./errors.ts";
import type { FactLoader } from "./fact-loaders.ts";
import { pipelineStatsPrune } from "./jobs.ts";
import { pipelineRoutes } from "./routes.ts";

export interface PipelineOptions {
  /** Run for each valid event of their contract, in this order. */
  factLoaders: readonly FactLoader[];
}

export function pipelineFamily({ factLoaders }: PipelineOptions) {
  return defineFamily({
    name: "pipeline",
    schemas: ["pipeline"],
    config: pipelineConfig,
    routes: { "/api/pipeline": pipelineRoutes },
    jobs: [pipelineStatsPrune],
    handlers: { pipeline: [onEvery(pipelineConsumer(factLoaders))] },
    errors: PipelineErrors,
  });
}

/** Dead-lettered messages, recorded for inspection and replay (the queue() entry hands them here). */
export const deadLetterSink: DeadLetterSink = {
  record: (db, body, queue, messageId, attempts) => recordDeadLetter(db, describeDeadLetter(body, queue, messageId, attempts)),
};

// For fact loaders (analytics): what they get and what they return.
export { type FactLoader, factLoader } from "./fact-loaders.ts";
export { type ScrubbedEvent, scrubEvent, scrubPayload } from "./pii-scrub.ts";
export { piiKeyOf, pseudonymizer } from "./pseudonym.ts";
export { type Cte, composeStatement } from "./statement.ts";
