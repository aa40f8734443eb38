/**
 * The fan-out publisher: sends each envelope to the queue of every consumer
 * group subscribed to its topic. It is only ever called by the outbox relay,
 * so an event reaches a queue only after the change it announces committed.
 */
import type { Env } from "../workers/platform/env.ts";
import type { Envelope } from "./contracts/envelope.ts";
import { groupsForTopic } from "./routing.ts";

/** Cloudflare Queues accept at most 100 messages per sendBatch call. */
const MAX_BATCH = 100;

export async function publishEnvelopes(env: Env, envelopes: Envelope[]): Promise<void> {
  const perQueue = new Map<Queue, Envelope[]>();
  for (const e of envelopes) {
    for (const group of groupsForTopic(e.topic)) {
      const queue = env[group.producer] as Queue;
      const list = perQueue.get(queue) ?? [];
      list.push(e);
      perQueue.set(queue, list);
    }
  }
  await Promise.all(
    [...perQueue].map(async ([queue, list]) => {
      for (let i = 0; i < list.length; i += MAX_BATCH) {
        await queue.sendBatch(list.slice(i, i + MAX_BATCH).map((body) => ({ body, contentType: "json" as const })));
      }
    }),
  );
}
