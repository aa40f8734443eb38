/**
 * The SQLite storage of one SKU's Inventory object: the stock level, the
 * holds, the movement ledger, the idempotency record of staff operations and
 * the object's event outbox. `apply` writes a whole change (level, holds,
 * movements, events) in one transaction, and checks the invariants against
 * what was just written before it commits.
 */

import { deletePublished, recordFailure } from "../../queues/outbox/object-outbox.ts";
import type { Change, Hold, StockState } from "./stock.ts";
import { violations } from "./stock.ts";
import { createStockTables, type HoldRow, type LedgerRow, toHold } from "./store-schema.ts";

const LEVEL = "level";

export interface OutboxEntry {
  id: string;
  envelope: unknown;
  /** Entries with the same key replace each other while unpublished. */
  mergeKey: string | null;
}

/** Who caused the first change a pending level announcement covers. */
export interface LevelCause {
  correlationId: string;
  actor: { type: "user" | "system" | "service"; id: string } | null;
  /** The first change's request, when it was traced: the announcement continues its trace. */
  traceparent?: string | undefined;
}

export class InvariantViolation extends Error {
  override name = "InvariantViolation";
}

export class StockStore {
  constructor(private readonly storage: DurableObjectStorage) {
    createStockTables(storage.sql);
  }

  private get sql(): SqlStorage {
    return this.storage.sql;
  }

  loadState(): StockState | null {
    const row = this.sql.exec<{ state: string }>("SELECT state FROM stock WHERE id = 1").toArray()[0];
    return row ? (JSON.parse(row.state) as StockState) : null;
  }

  hold(reservationId: string): Hold | undefined {
    const row = this.sql.exec<HoldRow>("SELECT * FROM holds WHERE reservation_id = ?", reservationId).toArray()[0];
    return row ? toHold(row) : undefined;
  }

  dueHolds(now: number): Hold[] {
    return this.sql
      .exec<HoldRow>("SELECT * FROM holds WHERE status = 'held' AND expires_at <= ? ORDER BY expires_at", now)
      .toArray()
      .map(toHold);
  }

  /**
   * Live holds (held and not yet due, or pinned), soonest expiry first, after
   * the (expiresAt, reservationId) key of the previous page: staff see who holds what.
   */
  liveHoldsPage(now: number, after: [number, string] | null, limit: number): Hold[] {
    return this.sql
      .exec<HoldRow>(
        `SELECT * FROM holds WHERE (status = 'pinned' OR (status = 'held' AND expires_at > ?))
         AND (expires_at, reservation_id) > (?, ?) ORDER BY expires_at, reservation_id LIMIT ?`,
        now,
        after?.[0] ?? -1,
        after?.[1] ?? "",
        limit,
      )
      .toArray()
      .map(toHold);
  }

  nextExpiry(): number | null {
    return this.sql.exec<{ t: number | null }>("SELECT min(expires_at) AS t FROM holds WHERE status = 'held'").one().t;
  }

  /** The sum and count of live holds, as the triggers keep them (O(1)). */
  liveHolds(): { count: number; total: number } {
    return this.sql.exec<{ count: number; total: number }>("SELECT count, total FROM live_holds WHERE id = 1").one();
  }

  /** The same, counted from the holds themselves (a full scan, for the alarm's audit). */
  countLiveHolds(): { count: number; total: number } {
    const r = this.sql
      .exec<{ n: number; total: number | null }>(
        "SELECT count(*) AS n, sum(quantity) AS total FROM holds WHERE status IN ('held', 'pinned')",
      )
      .one();
    return { count: r.n, total: r.total ?? 0 };
  }

  operation<T>(id: string): T | undefined {
    const row = this.sql.exec<{ result: string }>("SELECT result FROM operations WHERE id = ?", id).toArray()[0];
    return row ? (JSON.parse(row.result) as T) : undefined;
  }

  /**
   * Writes a change and its events atomically, checking every invariant on
   * the written data first: a change that would break one is rolled back.
   * "reserved = sum of live holds" is checked against the sum the triggers
   * keep in the database, so it costs the same with ten holds or ten thousand.
   * `holds` without a change (a pin, an extension) touch neither level nor ledger.
   */
  apply(
    before: StockState,
    change: Change | null,
    opts: {
      events?: OutboxEntry[];
      level?: LevelCause;
      holds?: Hold[];
      operation?: { id: string; result: unknown };
      now: number;
      flushAt: number;
    },
  ): void {
    this.storage.transactionSync(() => {
      const holds = [...(change?.holds ?? []), ...(opts.holds ?? [])];
      for (const h of holds) {
        this.sql.exec(
          `INSERT INTO holds (reservation_id, quantity, status, expires_at, created_at, updated_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (reservation_id) DO UPDATE SET status = excluded.status, expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
          h.reservationId,
          h.quantity,
          h.status,
          h.expiresAt,
          h.createdAt,
          h.updatedAt,
          h.actor,
        );
      }
      for (const id of change?.forget ?? []) this.sql.exec("DELETE FROM holds WHERE reservation_id = ?", id);
      if (change) {
        this.sql.exec(
          "INSERT INTO stock (id, state) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state",
          JSON.stringify(change.state),
        );
        let onHand = before.onHand;
        let reserved = before.reserved;
        for (const m of change.movements) {
          onHand += m.onHandDelta;
          reserved += m.reservedDelta;
          this.sql.exec(
            `INSERT INTO ledger (at, kind, quantity, on_hand_delta, reserved_delta, on_hand, reserved, reservation_id, actor, reason, operation_id, version)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            opts.now,
            m.kind,
            m.quantity,
            m.onHandDelta,
            m.reservedDelta,
            onHand,
            reserved,
            m.reservationId,
            m.actor,
            m.reason,
            opts.operation?.id ?? null,
            change.state.version,
          );
        }
        const broken = violations(change.state, this.liveHolds().total);
        if (onHand !== change.state.onHand || reserved !== change.state.reserved)
          broken.push("the movements do not add up to the new level");
        if (broken.length > 0) throw new InvariantViolation(`${change.state.sku}: ${broken.join("; ")}`);
      }
      if (opts.level) {
        this.sql.exec(
          `INSERT INTO outbox (id, merge_key, envelope, correlation_id, actor, traceparent, not_before) VALUES (?, ?, NULL, ?, ?, ?, ?)
           ON CONFLICT (merge_key) DO UPDATE SET id = excluded.id, envelope = NULL, correlation_id = excluded.correlation_id,
             actor = excluded.actor, traceparent = excluded.traceparent`,
          LEVEL,
          LEVEL,
          opts.level.correlationId,
          JSON.stringify(opts.level.actor),
          opts.level.traceparent ?? null,
          opts.flushAt,
        );
      }
      for (const e of opts.events ?? []) {
        this.sql.exec(
          `INSERT INTO outbox (id, merge_key, envelope, not_before) VALUES (?, ?, ?, ?)
           ON CONFLICT (merge_key) DO UPDATE SET id = excluded.id, envelope = excluded.envelope`,
          e.id,
          e.mergeKey,
          JSON.stringify(e.envelope),
          opts.flushAt,
        );
      }
      if (opts.operation)
        this.sql.exec(
          "INSERT INTO operations (id, result, at) VALUES (?, ?, ?)",
          opts.operation.id,
          JSON.stringify(opts.operation.result),
          opts.now,
        );
    });
  }

  ledger(opts: { beforeSeq?: number; limit: number; order: "asc" | "desc"; afterSeq?: number }): LedgerRow[] {
    const where = opts.order === "desc" ? "seq < ?" : "seq > ?";
    const bound = opts.order === "desc" ? (opts.beforeSeq ?? Number.MAX_SAFE_INTEGER) : (opts.afterSeq ?? 0);
    const rows = this.sql
      .exec<Record<string, string | number | null>>(
        `SELECT * FROM ledger WHERE ${where} ORDER BY seq ${opts.order === "desc" ? "DESC" : "ASC"} LIMIT ?`,
        bound,
        opts.limit,
      )
      .toArray();
    return rows.map((r) => ({
      seq: r.seq as number,
      at: r.at as number,
      kind: r.kind as string,
      quantity: r.quantity as number,
      onHandDelta: r.on_hand_delta as number,
      reservedDelta: r.reserved_delta as number,
      onHand: r.on_hand as number,
      reserved: r.reserved as number,
      reservationId: r.reservation_id as string | null,
      actor: r.actor as string,
      reason: r.reason as string | null,
      operationId: r.operation_id as string | null,
      version: r.version as number,
    }));
  }

  lastMovement(): { seq: number; kind: string } | null {
    return this.sql.exec<{ seq: number; kind: string }>("SELECT seq, kind FROM ledger ORDER BY seq DESC LIMIT 1").toArray()[0] ?? null;
  }

  // ---- outbox

  nextFlush(): number | null {
    return this.sql.exec<{ t: number | null }>("SELECT min(not_before) AS t FROM outbox").one().t;
  }

  /** The cause of the level announcement still to be built, if one is pending. */
  pendingLevel(): LevelCause | null {
    const row = this.sql
      .exec<{ correlation_id: string; actor: string; traceparent: string | null }>(
        "SELECT correlation_id, actor, traceparent FROM outbox WHERE merge_key = ? AND envelope IS NULL",
        LEVEL,
      )
      .toArray()[0];
    if (!row) return null;
    const cause: LevelCause = { correlationId: row.correlation_id, actor: JSON.parse(row.actor) as LevelCause["actor"] };
    if (row.traceparent) cause.traceparent = row.traceparent;
    return cause;
  }

  /** Gives the pending level announcement its envelope (built from the level as it is now). */
  buildLevel(entry: OutboxEntry): void {
    this.sql.exec(
      "UPDATE outbox SET id = ?, envelope = ? WHERE merge_key = ? AND envelope IS NULL",
      entry.id,
      JSON.stringify(entry.envelope),
      LEVEL,
    );
  }

  pendingEvents(now: number, limit: number): { id: string; envelope: unknown; attempts: number }[] {
    return this.sql
      .exec<{ id: string; envelope: string; attempts: number }>(
        "SELECT id, envelope, attempts FROM outbox WHERE envelope IS NOT NULL AND not_before <= ? ORDER BY seq LIMIT ?",
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

  /** Forgets closed holds and operation records past retention; the ledger keeps the history. */
  prune(before: number): void {
    this.sql.exec("DELETE FROM holds WHERE status NOT IN ('held', 'pinned') AND updated_at < ?", before);
    this.sql.exec("DELETE FROM operations WHERE at < ?", before);
  }
}
