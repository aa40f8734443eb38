/** Publishing a Cart object's outbox from its alarm (see queues/outbox/object-outbox.ts). */
import { publishDue } from "../../queues/outbox/object-outbox.ts";
import { platformConfig } from "../../workers/platform/config.ts";
import { withDb } from "../../workers/platform/db.ts";
import { failIfInjected } from "../../workers/platform/faults.ts";
import type { Runtime } from "../../workers/platform/runtime.ts";
import type { CartStore } from "./store.ts";

export async function publishCartOutbox(
  rt: Pick<Runtime, "queues" | "vars">,
  store: CartStore,
  cartKey: string,
  now: number,
): Promise<void> {
  await publishDue(rt, store, now, {
    beforeSend: async () => {
      if (platformConfig.read(rt).FAULT_INJECTION === "on") await withDb(rt, (db) => failIfInjected(rt, db, "cart:publish", cartKey));
    },
    failureLog: "cart.outbox_publish_failed",
    fields: { cart: cartKey },
  });
}
