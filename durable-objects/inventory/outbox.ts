/**
 * Publishing the object's outbox (from its alarm): the pending level
 * announcement gets its envelope from the level as it is now, then what is
 * due goes to the queues (queues/outbox/object-outbox.ts).
 */
import type { MovementKind } from "../../queues/contracts/events/inventory.ts";
import { publishDue } from "../../queues/outbox/object-outbox.ts";
import type { Runtime } from "../../workers/platform/runtime.ts";
import { levelEvent } from "./events.ts";
import { faultPoint } from "./fault-point.ts";
import type { StockState } from "./stock.ts";
import type { StockStore } from "./store.ts";

/** Changes wait this long before their level is announced, so a burst announces one level. */
export const FLUSH_DELAY_MS = 200;
export async function publishOutbox(
  rt: Pick<Runtime, "queues" | "vars">,
  store: StockStore,
  state: StockState | null,
  ledgerSeq: number,
  now: number,
): Promise<void> {
  const cause = state ? store.pendingLevel() : null;
  if (cause && state)
    store.buildLevel(levelEvent(state, (store.lastMovement()?.kind ?? "resync") as MovementKind, ledgerSeq, { ...cause, now }));
  const sku = state?.sku ?? "unknown";
  // Entries still inside their merge window go along: once the alarm runs, waiting longer saves nothing.
  await publishDue(rt, store, now + FLUSH_DELAY_MS, {
    beforeSend: () => faultPoint(rt, "inventory:publish", sku),
    failureLog: "inventory.outbox_publish_failed",
    fields: { sku },
  });
}
