/**
 * Export and import of a SQLite-backed Durable Object's state of record, for
 * backups. Each object class names the tables that hold its state (derived
 * tables and caches it rebuilds itself are left out) and its KV keys; an
 * import replaces those tables and keys in one transaction.
 *
 * Paging: a table that only ever gains rows (a stock ledger) may grow past
 * what one call or one message carries, so it travels in pages of rows by
 * `rowid`. The first page is taken in one synchronous call: every other
 * table whole, the KV keys, and the high-water `rowid` of each append-only
 * table. Later pages read rows up to those marks only; as rows below a mark
 * never change, the pages together are the object as it stood at the first
 * call, however many writes came in between.
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
  /** Of those, the tables that only ever gain rows (never updated or deleted): exported in pages by `rowid`. */
  appendOnly?: readonly string[];
  kv: readonly string[];
}

/** Where the next page starts: the append-only table and the last `rowid` sent, and the marks of the first page. */
export interface SnapshotCursor {
  table: string;
  after: number;
  marks: Record<string, number>;
}

export interface SnapshotPage {
  snapshot: ObjectSnapshot;
  /** null: that was the last page. */
  next: SnapshotCursor | null;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`not a table or column name: ${name}`);
  return `"${name}"`;
}

const appendOnlyOf = (shape: SnapshotShape) => shape.appendOnly ?? [];

/**
 * One page of the object's state: with no cursor, the first page (every
 * table that is not append-only whole, the KV keys, and up to `pageRows`
 * rows of the append-only tables); with a cursor, the next `pageRows` rows
 * of the append-only tables below the first page's marks.
 */
export function exportObjectPage(
  storage: DurableObjectStorage,
  shape: SnapshotShape,
  cursor: SnapshotCursor | null,
  pageRows: number,
): SnapshotPage {
  const appendOnly = appendOnlyOf(shape);
  const tables: ObjectSnapshot["tables"] = {};
  const kv: Record<string, unknown> = {};
  let marks: Record<string, number>;
  if (cursor === null) {
    marks = {};
    for (const table of shape.tables) {
      if (appendOnly.includes(table)) {
        marks[table] = storage.sql.exec<{ m: number }>(`SELECT coalesce(max(rowid), 0) AS m FROM ${ident(table)}`).one().m;
        continue;
      }
      const c = storage.sql.exec(`SELECT * FROM ${ident(table)}`);
      tables[table] = { columns: c.columnNames, rows: [...c.raw()].map((r) => [...r]) };
    }
    for (const key of shape.kv) {
      const value = storage.kv.get(key);
      if (value !== undefined) kv[key] = value;
    }
  } else {
    marks = cursor.marks;
    for (const [table, mark] of Object.entries(marks)) {
      if (!appendOnly.includes(table)) throw new Error(`not an append-only table of this object: ${table}`);
      const top = storage.sql.exec<{ m: number }>(`SELECT coalesce(max(rowid), 0) AS m FROM ${ident(table)}`).one().m;
      // Rows below a mark never go away; if they did, the object was replaced (restored) while it was being read.
      if (top < mark) throw new Error(`${table} lost rows while its pages were read (${top} < ${mark})`);
    }
  }
  // The append-only tables, in the shape's order, from the cursor on, up to `pageRows` rows in all.
  let budget = Math.max(1, pageRows);
  let next: SnapshotCursor | null = null;
  const order = appendOnly.filter((t) => t in marks);
  const from = cursor === null ? 0 : order.indexOf(cursor.table);
  for (let i = Math.max(0, from); i < order.length; i++) {
    const table = order[i]!;
    const after = cursor !== null && i === from ? cursor.after : 0;
    const c = storage.sql.exec(
      `SELECT rowid AS "__rowid", * FROM ${ident(table)} WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?`,
      after,
      marks[table]!,
      budget + 1,
    );
    const raw = [...c.raw()];
    const more = raw.length > budget;
    const rows = raw.slice(0, budget);
    tables[table] = { columns: c.columnNames.slice(1), rows: rows.map((r) => [...r].slice(1)) };
    budget -= rows.length;
    if (more || (budget === 0 && i + 1 < order.length)) {
      const last = rows.length > 0 ? Number(rows[rows.length - 1]![0]) : after;
      next = more ? { table, after: last, marks } : { table: order[i + 1]!, after: 0, marks };
      break;
    }
  }
  return { snapshot: { format: 1, tables, kv }, next };
}

/** Whether the snapshot holds anything at all (an object never written exports empty). */
export function isEmptySnapshot(s: ObjectSnapshot): boolean {
  return Object.values(s.tables).every((t) => t.rows.length === 0) && Object.keys(s.kv).length === 0;
}

/**
 * Replaces the shape's tables and keys with the snapshot's (a first page),
 * in one transaction: every table is emptied first (triggers on the way out
 * keep their sums right), then refilled in the shape's order.
 */
export function importObjectState(storage: DurableObjectStorage, shape: SnapshotShape, snapshot: ObjectSnapshot): void {
  if (snapshot.format !== 1) throw new Error(`unknown snapshot format ${String(snapshot.format)}`);
  for (const name of Object.keys(snapshot.tables))
    if (!shape.tables.includes(name)) throw new Error(`the snapshot holds a table this object does not export: ${name}`);
  storage.transactionSync(() => {
    for (const table of shape.tables) storage.sql.exec(`DELETE FROM ${ident(table)}`);
    for (const table of shape.tables) insertRows(storage, table, snapshot);
    for (const key of shape.kv) {
      if (key in snapshot.kv) storage.kv.put(key, snapshot.kv[key]);
      else storage.kv.delete(key);
    }
  });
}

/** Adds a later page's rows (append-only tables only) after the first page was imported, in one transaction. */
export function appendObjectRows(storage: DurableObjectStorage, shape: SnapshotShape, snapshot: ObjectSnapshot): void {
  if (snapshot.format !== 1) throw new Error(`unknown snapshot format ${String(snapshot.format)}`);
  const appendOnly = appendOnlyOf(shape);
  for (const name of Object.keys(snapshot.tables))
    if (!appendOnly.includes(name)) throw new Error(`a later page holds a table that is not append-only: ${name}`);
  storage.transactionSync(() => {
    for (const table of appendOnly) insertRows(storage, table, snapshot);
  });
}

function insertRows(storage: DurableObjectStorage, table: string, snapshot: ObjectSnapshot): void {
  const data = snapshot.tables[table];
  if (!data || data.rows.length === 0) return;
  const cols = data.columns.map(ident).join(", ");
  const marks = data.columns.map(() => "?").join(", ");
  for (const row of data.rows) storage.sql.exec(`INSERT INTO ${ident(table)} (${cols}) VALUES (${marks})`, ...(row as SqlStorageValue[]));
}
