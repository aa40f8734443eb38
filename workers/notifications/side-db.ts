/**
 * The connection the consumer records sends on, outside the consumer's
 * transaction (see deliveries.ts for why). Opening one costs a WebSocket,
 * a Postgres start-up and a password exchange, more than the work of an
 * event, so the events of one batch share it: the framework runs a batch's
 * handlers one after another in one transaction, each handler takes the
 * connection of that transaction's batch before its first await, and the
 * connection closes on the next turn of the event loop after the last
 * handler let go of it (the framework's commit is still to come then, so
 * this always happens within the queue invocation).
 */
import { sql } from "drizzle-orm";
import { type Database, type DbHandle, openDb } from "../platform/db.ts";
import type { Runtime } from "../platform/runtime.ts";

interface Shared {
  handle: DbHandle;
  users: number;
  ready: Promise<unknown>;
  closing?: ReturnType<typeof setTimeout>;
}

const byBatch = new WeakMap<object, Shared>();

/** Takes (synchronously) the side connection of the batch that `owner` (the consumer's transaction) belongs to. */
export function takeSideDb(owner: object, rt: Pick<Runtime, "vars">): { db: Database; ready: Promise<unknown>; release: () => void } {
  let shared = byBatch.get(owner);
  if (!shared) {
    const handle = openDb(rt);
    // Connect now, while the handler's first reads run on the transaction.
    const ready = handle.db.execute(sql`select 1`).catch(() => undefined);
    shared = { handle, users: 0, ready };
    byBatch.set(owner, shared);
  }
  if (shared.closing) clearTimeout(shared.closing);
  shared.closing = undefined;
  shared.users++;
  const entry = shared;
  let released = false;
  return {
    db: entry.handle.db,
    ready: entry.ready,
    release() {
      if (released) return;
      released = true;
      if (--entry.users > 0) return;
      entry.closing = setTimeout(() => {
        if (entry.users > 0) return;
        byBatch.delete(owner);
        void entry.handle.close();
      }, 0);
    },
  };
}
