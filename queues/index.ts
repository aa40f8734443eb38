/**
 * The queue() entry point of every runtime: dispatches a batch on
 * `batch.queue` to its consumer group, whose handlers are the families'
 * subscriptions for that group, or to the dead-letter recorder for a
 * `*-dlq` queue. The composition root builds it from the family list.
 */
import { type Database, withDb } from "../workers/platform/db.ts";
import { type HandlerMap, handlerMap } from "../workers/platform/event-handlers.ts";
import type { Family } from "../workers/platform/family.ts";
import { errorFields, log } from "../workers/platform/log.ts";
import type { Runtime } from "../workers/platform/runtime.ts";
import { consumeBatch, consumerMessagesTotal, retryDelaySeconds } from "./consumer-framework.ts";
import { CONSUMER_GROUPS, groupByDeadLetterQueue, groupByQueue } from "./routing.ts";

/** Where dead-lettered messages are recorded for inspection and replay (the pipeline family). */
export interface DeadLetterSink {
  record(db: Database, body: unknown, originalQueue: string, messageId: string, attempts: number): Promise<void>;
}

/** Each consumer group's handlers, from every family's subscriptions in the order of the family list. */
export function groupHandlers(families: readonly Family[]): Record<string, HandlerMap> {
  const known = new Set<string>(CONSUMER_GROUPS.map((g) => g.name));
  for (const family of families) {
    for (const group of Object.keys(family.handlers ?? {})) {
      if (!known.has(group)) throw new Error(`Family ${family.name} subscribes to an unknown consumer group ${group}`);
    }
  }
  return Object.fromEntries(CONSUMER_GROUPS.map((g) => [g.name, handlerMap(families.flatMap((f) => f.handlers?.[g.name] ?? []))]));
}

export function createQueueHandler(
  families: readonly Family[],
  deadLetters: DeadLetterSink,
): (batch: MessageBatch, rt: Runtime) => Promise<void> {
  const handlers = groupHandlers(families);
  return async (batch, rt) => {
    const group = groupByQueue(batch.queue);
    if (group) {
      await withDb(rt, (db) => consumeBatch(batch, rt, db, group, handlers[group.name] ?? {}));
      return;
    }
    const dlqGroup = groupByDeadLetterQueue(batch.queue);
    if (dlqGroup) {
      await withDb(rt, async (db) => {
        for (const message of batch.messages) {
          try {
            await deadLetters.record(db, message.body, dlqGroup.queue, message.id, message.attempts);
            message.ack();
            consumerMessagesTotal.inc({ group: dlqGroup.name, outcome: "dead_lettered" });
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
  };
}
