/**
 * The Worker's queue() entry point: dispatches a batch on `batch.queue` to
 * its consumer group, or to the dead-letter recorder for a `*-dlq` queue.
 */
import { withDb } from "../workers/platform/db.ts";
import type { Env } from "../workers/platform/env.ts";
import { errorFields, log } from "../workers/platform/log.ts";
import { describeDeadLetter, recordDeadLetter } from "../workers/pipeline/dead-letters.ts";
import { consumeBatch, retryDelaySeconds } from "./consumers/framework.ts";
import { GROUP_HANDLERS } from "./consumers/groups.ts";
import { groupByDeadLetterQueue, groupByQueue, type ConsumerGroupName } from "./routing.ts";
import "./contracts/index.ts";

export async function handleQueue(batch: MessageBatch, env: Env): Promise<void> {
  const group = groupByQueue(batch.queue);
  if (group) {
    await withDb(env, (db) => consumeBatch(batch, env, db, group, GROUP_HANDLERS[group.name as ConsumerGroupName]));
    return;
  }
  const dlqGroup = groupByDeadLetterQueue(batch.queue);
  if (dlqGroup) {
    await withDb(env, async (db) => {
      for (const message of batch.messages) {
        try {
          await recordDeadLetter(db, describeDeadLetter(message.body, dlqGroup.queue, message.id, message.attempts));
          message.ack();
          log.warn("dead_letter.recorded", { queue: dlqGroup.queue, messageId: message.id });
        } catch (err) {
          message.retry({ delaySeconds: retryDelaySeconds(message.attempts, 5) });
          log.error("dead_letter.record_failed", { queue: dlqGroup.queue, messageId: message.id, ...errorFields(err) });
        }
      }
    });
    return;
  }
  log.error("queue.unknown", { queue: batch.queue, size: batch.messages.length });
  batch.retryAll();
}
