/**
 * The fan-out publisher: sends each envelope to the queue of every consumer
 * group subscribed to its topic. It is only ever called by the outbox relay,
 * so an event reaches a queue only after the change it announces committed.
 */
import type { Envelope } from "../workers/platform/event-envelope.ts";
import type { Runtime } from "../workers/platform/runtime.ts";
import { groupsForTopic } from "./routing.ts";

/** Cloudflare Queues accept at most 100 messages per sendBatch call. */
const MAX_BATCH = 100;

export async function publishEnvelopes(rt: Pick<Runtime, "queues">, envelopes: Envelope[]): Promise<void> {
  const perQueue = new Map<string, Envelope[]>();
  for (const e of envelopes) {
    for (const group of groupsForTopic(e.topic)) {
      const list = perQueue.get(group.producer) ?? [];
      list.push(e);
      perQueue.set(group.producer, list);
    }
  }
  await Promise.all(
    [...perQueue].map(async ([queue, list]) => {
      for (let i = 0; i < list.length; i += MAX_BATCH) await rt.queues.sendBatch(queue, list.slice(i, i + MAX_BATCH));
    }),
  );
}
