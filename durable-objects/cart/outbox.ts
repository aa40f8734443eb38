/** Publishing a Cart object's outbox from its alarm (see durable-objects/outbox/publish-due.ts). */
import { withDb } from "../../workers/platform/db.ts";
import { readConfig, type Env } from "../../workers/platform/env.ts";
import { failIfInjected } from "../../workers/platform/faults.ts";
import { publishDue } from "../../queues/outbox/object-outbox.ts";
import type { CartStore } from "./store.ts";

export async function publishCartOutbox(env: Env, store: CartStore, cartKey: string, now: number): Promise<void> {
  await publishDue(env, store, now, {
    beforeSend: async () => {
      if (readConfig(env).FAULT_INJECTION === "on") await withDb(env, (db) => failIfInjected(env, db, "cart:publish", cartKey));
    },
    failureLog: "cart.outbox_publish_failed",
    fields: { cart: cartKey },
  });
}
