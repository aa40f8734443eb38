/**
 * Publishing a Cart object's outbox from its alarm. A failed publish keeps
 * every row and retries with backoff; a row is deleted only after its
 * publish succeeded, so no event is lost (consumers absorb a repeat).
 */
import type { Envelope } from "../../queues/contracts/envelope.ts";
import { publishEnvelopes } from "../../queues/publisher.ts";
import { withDb } from "../../workers/kernel/db.ts";
import { readConfig, type Env } from "../../workers/kernel/env.ts";
import { failIfInjected } from "../../workers/kernel/faults.ts";
import { errorFields, log } from "../../workers/kernel/log.ts";
import type { CartStore } from "./store.ts";

const BATCH = 100;

export const retryDelayMs = (attempts: number): number => Math.min(60_000, 1000 * 2 ** (attempts - 1));

export async function publishCartOutbox(env: Env, store: CartStore, cartKey: string, now: number): Promise<void> {
  const pending = store.pendingEvents(now, BATCH);
  if (pending.length === 0) return;
  const ids = pending.map((p) => p.id);
  try {
    if (readConfig(env).FAULT_INJECTION === "on") await withDb(env, (db) => failIfInjected(env, db, "cart:publish", cartKey));
    await publishEnvelopes(env, pending.map((p) => p.envelope as Envelope));
    store.markPublished(ids);
  } catch (err) {
    const attempts = Math.max(...pending.map((p) => p.attempts)) + 1;
    store.markFailed(ids, err instanceof Error ? err.message : String(err), Date.now() + retryDelayMs(attempts));
    log.warn("cart.outbox_publish_failed", { cart: cartKey, count: ids.length, attempts, ...errorFields(err) });
  }
}
