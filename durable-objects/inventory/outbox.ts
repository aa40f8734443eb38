/**
 * Publishing the object's outbox (from its alarm): the pending level
 * announcement gets its envelope from the level as it is now, then what is
 * due goes to the queues. A failure keeps every row, to be retried with
 * backoff; a row is deleted only after its publish, by its event id.
 */
import type { Envelope } from "../../queues/contracts/envelope.ts";
import type { MovementKind } from "../../queues/contracts/events/inventory.ts";
import { publishEnvelopes } from "../../queues/publisher.ts";
import type { Env } from "../../workers/kernel/env.ts";
import { errorFields, log } from "../../workers/kernel/log.ts";
import { levelEvent } from "./events.ts";
import { faultPoint } from "./fault-point.ts";
import type { StockState } from "./stock.ts";
import type { StockStore } from "./store.ts";

/** Changes wait this long before their level is announced, so a burst announces one level. */
export const FLUSH_DELAY_MS = 200;
const BATCH = 100;

export const retryDelayMs = (attempts: number): number => Math.min(60_000, 1000 * 2 ** (attempts - 1));

export async function publishOutbox(env: Env, store: StockStore, state: StockState | null, ledgerSeq: number, now: number): Promise<void> {
  const cause = state ? store.pendingLevel() : null;
  if (cause && state) store.buildLevel(levelEvent(state, (store.lastMovement()?.kind ?? "resync") as MovementKind, ledgerSeq, { ...cause, now }));
  // Entries still inside their merge window go along: once the alarm runs, waiting longer saves nothing.
  const pending = store.pendingEvents(now + FLUSH_DELAY_MS, BATCH);
  if (pending.length === 0) return;
  const sku = state?.sku ?? "unknown";
  const ids = pending.map((p) => p.id);
  try {
    await faultPoint(env, "inventory:publish", sku);
    await publishEnvelopes(env, pending.map((p) => p.envelope as Envelope));
    store.markPublished(ids);
  } catch (err) {
    const attempts = Math.max(...pending.map((p) => p.attempts)) + 1;
    store.markFailed(ids, err instanceof Error ? err.message : String(err), Date.now() + retryDelayMs(attempts));
    log.warn("inventory.outbox_publish_failed", { sku, count: ids.length, attempts, ...errorFields(err) });
  }
}
