/**
 * The tables of one SKU's Inventory object (stock level, holds with the
 * triggers that keep their live sum, ledger, operations, outbox), created on
 * start and upgraded in place, and how their rows read back.
 */
import type { Hold, HoldStatus } from "./stock.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS stock (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS holds (
  reservation_id TEXT PRIMARY KEY, quantity INTEGER NOT NULL, status TEXT NOT NULL,
  expires_at INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, actor TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS holds_held_expiry ON holds (expires_at) WHERE status = 'held';
CREATE INDEX IF NOT EXISTS holds_live ON holds (status, quantity) WHERE status IN ('held', 'pinned');
CREATE INDEX IF NOT EXISTS holds_closed ON holds (updated_at) WHERE status NOT IN ('held', 'pinned');
CREATE TABLE IF NOT EXISTS ledger (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL, quantity INTEGER NOT NULL,
  on_hand_delta INTEGER NOT NULL, reserved_delta INTEGER NOT NULL, on_hand INTEGER NOT NULL, reserved INTEGER NOT NULL,
  reservation_id TEXT, actor TEXT NOT NULL, reason TEXT, operation_id TEXT, version INTEGER NOT NULL);
-- The database keeps its own sum of live holds (triggers), which every write checks the level against.
CREATE TABLE IF NOT EXISTS live_holds (id INTEGER PRIMARY KEY CHECK (id = 1), total INTEGER NOT NULL, count INTEGER NOT NULL);
INSERT OR IGNORE INTO live_holds (id, total, count)
  SELECT 1, coalesce(sum(quantity), 0), count(*) FROM holds WHERE status IN ('held', 'pinned');
CREATE TRIGGER IF NOT EXISTS holds_live_insert AFTER INSERT ON holds WHEN NEW.status IN ('held', 'pinned')
BEGIN UPDATE live_holds SET total = total + NEW.quantity, count = count + 1 WHERE id = 1; END;
CREATE TRIGGER IF NOT EXISTS holds_live_update AFTER UPDATE OF status ON holds
  WHEN (OLD.status IN ('held', 'pinned')) != (NEW.status IN ('held', 'pinned'))
BEGIN UPDATE live_holds SET
  total = total + CASE WHEN NEW.status IN ('held', 'pinned') THEN NEW.quantity ELSE -OLD.quantity END,
  count = count + CASE WHEN NEW.status IN ('held', 'pinned') THEN 1 ELSE -1 END WHERE id = 1; END;
CREATE TRIGGER IF NOT EXISTS holds_live_delete AFTER DELETE ON holds WHEN OLD.status IN ('held', 'pinned')
BEGIN UPDATE live_holds SET total = total - OLD.quantity, count = count - 1 WHERE id = 1; END;
CREATE TABLE IF NOT EXISTS operations (id TEXT PRIMARY KEY, result TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS operations_at ON operations (at);
-- The level row (merge_key 'level') stands for "announce the level": written with the first change after a
-- flush, its envelope is built from the stored level when the alarm publishes it, so it is always the latest.
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, merge_key TEXT UNIQUE,
  envelope TEXT, correlation_id TEXT, actor TEXT,
  not_before INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, traceparent TEXT);
`;

/** Objects made before the level's cause kept its traceparent get the column (once: SQLite has no ADD COLUMN IF NOT EXISTS). */
function upgrade(sql: SqlStorage): void {
  const has = sql.exec<{ n: number }>("SELECT count(*) AS n FROM pragma_table_info('outbox') WHERE name = 'traceparent'").one().n;
  if (has === 0) sql.exec("ALTER TABLE outbox ADD COLUMN traceparent TEXT");
}

/** Creates the tables an object lacks and adds the columns later versions need. */
export function createStockTables(sql: SqlStorage): void {
  sql.exec(SCHEMA);
  upgrade(sql);
}

export interface LedgerRow {
  seq: number;
  at: number;
  kind: string;
  quantity: number;
  onHandDelta: number;
  reservedDelta: number;
  onHand: number;
  reserved: number;
  reservationId: string | null;
  actor: string;
  reason: string | null;
  operationId: string | null;
  version: number;
}

export type HoldRow = {
  reservation_id: string;
  quantity: number;
  status: string;
  expires_at: number;
  created_at: number;
  updated_at: number;
  actor: string;
};
export const toHold = (r: HoldRow): Hold => ({
  reservationId: r.reservation_id,
  quantity: r.quantity,
  status: r.status as HoldStatus,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  actor: r.actor,
});
