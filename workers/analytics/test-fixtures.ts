/**
 * Delivering test events to the pipeline's queue handler (the history of
 * history-test-fixtures.ts, as events from history-events-test-fixtures.ts,
 * or any other), and waiting for what a test set off to finish.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { testBindings } from "../../test/helpers/db.ts";
import worker from "../index.ts";
import { prng } from "./history-test-fixtures.ts";

/** Hands events to the pipeline's queue handler in batches, as the queue would; returns how many were retried. */
export async function deliver(bodies: unknown[], batchSize = 25): Promise<number> {
  let retried = 0;
  for (let i = 0; i < bodies.length; i += batchSize) {
    const chunk = bodies.slice(i, i + batchSize);
    const batch = createMessageBatch(
      "pipeline-events",
      chunk.map((body, j) => ({ id: `m-${i + j}-${crypto.randomUUID()}`, timestamp: Date.now(), attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, testBindings, ctx);
    retried += (await getQueueResult(batch, ctx)).retryMessages.length;
  }
  return retried;
}

/** A deterministic shuffle (so out-of-order arrival is part of every run), plus a tenth of the events delivered twice. */
export function shuffledWithDuplicates<T>(xs: T[], seed: number): T[] {
  const rnd = prng(seed);
  const out = [...xs, ...xs.filter(() => rnd() < 0.1)];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Lets the queue consumers and alarms a test set off finish (down to their
 * log lines) before the file's environment is torn down, which otherwise
 * reports their late console output as an unhandled error.
 */
export const settle = (ms = 500) => new Promise((r) => setTimeout(r, ms));
