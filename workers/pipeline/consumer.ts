/**
 * The pipeline consumer group's handler for every event: validate it
 * against its registered contract (an unknown type or version is
 * quarantined), scrub personal data by the rules of its type, then write
 * its statistics and its facts in one statement, inside the framework's
 * transaction that also records the event as processed. Nothing reaches
 * analytics before it is validated and scrubbed.
 */
import type { HandlerContext, HandlerMap } from "../../queues/consumers/framework.ts";
import type { Envelope } from "../platform/events/envelope.ts";
import { composeStatement, factCtes } from "../analytics/facts/index.ts";
import { validEventStats } from "./event-stats.ts";
import { scrubEvent } from "./pii-scrub.ts";
import { piiKeyOf, pseudonymizer } from "./pseudonym.ts";
import { recordQuarantine } from "./quarantine.ts";
import { validateEvent } from "./validation.ts";

export async function handlePipelineEvent(event: Envelope, { tx, env }: HandlerContext): Promise<void> {
  const v = validateEvent(event);
  if (!v.ok) {
    await recordQuarantine(tx, { eventKey: event.id, body: event, reason: v.reason, issues: v.issues, origin: "consumer", topic: v.topic, type: v.type, version: v.version });
    return;
  }
  const scrubbed = await scrubEvent(v.event, pseudonymizer(piiKeyOf(env)));
  await tx.execute(composeStatement([...validEventStats(v.event), ...factCtes(scrubbed)]));
}

export const pipelineHandlers: HandlerMap = { "*": [handlePipelineEvent] };
