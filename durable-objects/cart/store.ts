/**
 * The SQLite storage of one Cart object: the cart as one row (a cart is
 * small and bounded by its line limit, so it is read and written whole) and
 * the object's event outbox. A change and its events are one transaction.
 */

import { deletePublished, recordFailure } from "../../queues/outbox/object-outbox.ts";
import type { CartState } from "./cart-rules.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS cart (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, envelope TEXT NOT NULL,
  not_before INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);
`;

export interface OutboxEntry {
  id: string;
  envelope: unknown;
}

export class CartStore {
  constructor(private readonly storage: DurableObjectStorage) {
    storage.sql.exec(SCHEMA);
  }

  private get sql(): SqlStorage {
    return this.storage.sql;
  }

  load(): CartState | null {
    const row = this.sql.exec<{ state: string }>("SELECT state FROM cart WHERE id = 1").toArray()[0];
    return row ? (JSON.parse(row.state) as CartState) : null;
  }

  /** Writes the new state (null: the cart is gone) and its events atomically. */
  save(state: CartState | null, events: OutboxEntry[], flushAt: number): void {
    this.storage.transactionSync(() => {
      if (state)
        this.sql.exec(
          "INSERT INTO cart (id, state) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state",
          JSON.stringify(state),
        );
      else this.sql.exec("DELETE FROM cart");
      for (const e of events)
        this.sql.exec("INSERT INTO outbox (id, envelope, not_before) VALUES (?, ?, ?)", e.id, JSON.stringify(e.envelope), flushAt);
    });
  }

  nextFlush(): number | null {
    return this.sql.exec<{ t: number | null }>("SELECT min(not_before) AS t FROM outbox").one().t;
  }

  pendingEvents(now: number, limit: number): { id: string; envelope: unknown; attempts: number }[] {
    return this.sql
      .exec<{ id: string; envelope: string; attempts: number }>(
        "SELECT id, envelope, attempts FROM outbox WHERE not_before <= ? ORDER BY seq LIMIT ?",
        now,
        limit,
      )
      .toArray()
      .map((r) => ({ id: r.id, envelope: JSON.parse(r.envelope) as unknown, attempts: r.attempts }));
  }

  outboxSize(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox").one().n;
  }

  markPublished(ids: string[]): void {
    deletePublished(this.sql, ids);
  }

  markFailed(ids: string[], error: string, retryAt: number): void {
    recordFailure(this.sql, ids, error, retryAt);
  }
}
