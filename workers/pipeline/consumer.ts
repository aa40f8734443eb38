/**
 * The pipeline consumer group's handler for every event: validate it
 * against its registered contract (an unknown type or version is
 * quarantined), scrub personal data by the rules of its type, then write
 * its statistics and the facts of its contract's loaders in one statement,
 * inside the framework's transaction that also records the event as
 * processed. Nothing reaches a fact loader before it is validated and scrubbed.
 */
import type { Envelope } from "../platform/event-envelope.ts";
import type { HandlerContext } from "../platform/event-handlers.ts";
import { validEventStats } from "./event-stats.ts";
import { type FactLoader, factLoadersByContract } from "./fact-loaders.ts";
import { scrubEvent } from "./pii-scrub.ts";
import { piiKeyOf, pseudonymizer } from "./pseudonym.ts";
import { recordQuarantine } from "./quarantine.ts";
import { composeStatement } from "./statement.ts";
import { validateEvent } from "./validation.ts";

export function pipelineConsumer(factLoaders: readonly FactLoader[]): (event: Envelope, ctx: HandlerContext) => Promise<void> {
  const loadersOf = factLoadersByContract(factLoaders);
  return async function handlePipelineEvent(event, { tx, rt }) {
    const v = validateEvent(event);
    if (!v.ok) {
      await recordQuarantine(tx, {
        eventKey: event.id,
        body: event,
        reason: v.reason,
        issues: v.issues,
        origin: "consumer",
        topic: v.topic,
        type: v.type,
        version: v.version,
      });
      return;
    }
    const scrubbed = await scrubEvent(v.event, pseudonymizer(piiKeyOf(rt)));
    const facts = loadersOf(v.contract).flatMap((loader) => loader.load(scrubbed));
    await tx.execute(composeStatement([...validEventStats(v.event), ...facts]));
  };
}
