/**
 * Export and import of a SQLite-backed Durable Object's state of record, for
 * backups. Each object class names the tables that hold its state (derived
 * tables and caches it rebuilds itself are left out) and its KV keys; the
 * snapshot is taken in one synchronous call, so it is consistent with
 * itself, and an import replaces those tables and keys in one transaction.
 */

/** One object's state: the rows of the named tables (column order as stored) and the named KV values. */
export interface ObjectSnapshot {
  format: 1;
  tables: Record<string, { columns: string[]; rows: unknown[][] }>;
  kv: Record<string, unknown>;
}

export interface SnapshotShape {
  /** Tables in the order they are refilled (a table some trigger updates comes after the one that fires it). */
  tables: readonly string[];
  kv: readonly string[];
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`not a table or column name: ${name}`);
  return `"${name}"`;
}

export function exportObjectState(storage: DurableObjectStorage, shape: SnapshotShape): ObjectSnapshot {
  const tables: ObjectSnapshot["tables"] = {};
  for (const table of shape.tables) {
    const cursor = storage.sql.exec(`SELECT * FROM ${ident(table)}`);
    const columns = cursor.columnNames;
    const rows = [...cursor.raw()].map((r) => [...r]);
    tables[table] = { columns, rows };
  }
  const kv: Record<string, unknown> = {};
  for (const key of shape.kv) {
    const value = storage.kv.get(key);
    if (value !== undefined) kv[key] = value;
  }
  return { format: 1, tables, kv };
}

/** Whether the snapshot holds anything at all (an object never written exports empty). */
export function isEmptySnapshot(s: ObjectSnapshot): boolean {
  return Object.values(s.tables).every((t) => t.rows.length === 0) && Object.keys(s.kv).length === 0;
}

/**
 * Replaces the shape's tables and keys with the snapshot's, in one
 * transaction: every table is emptied first (triggers on the way out keep
 * their sums right), then refilled in the shape's order.
 */
export function importObjectState(storage: DurableObjectStorage, shape: SnapshotShape, snapshot: ObjectSnapshot): void {
  if (snapshot.format !== 1) throw new Error(`unknown snapshot format ${String(snapshot.format)}`);
  for (const name of Object.keys(snapshot.tables))
    if (!shape.tables.includes(name)) throw new Error(`the snapshot holds a table this object does not export: ${name}`);
  storage.transactionSync(() => {
    for (const table of shape.tables) storage.sql.exec(`DELETE FROM ${ident(table)}`);
    for (const table of shape.tables) {
      const data = snapshot.tables[table];
      if (!data || data.rows.length === 0) continue;
      const cols = data.columns.map(ident).join(", ");
      const marks = data.columns.map(() => "?").join(", ");
      for (const row of data.rows)
        storage.sql.exec(`INSERT INTO ${ident(table)} (${cols}) VALUES (${marks})`, ...(row as SqlStorageValue[]));
    }
    for (const key of shape.kv) {
      if (key in snapshot.kv) storage.kv.put(key, snapshot.kv[key]);
      else storage.kv.delete(key);
    }
  });
}
