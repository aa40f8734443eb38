/**
 * One object's SQLite database on Deno: the same storage a SQLite-backed
 * Durable Object has (`storage.sql`, the synchronous `storage.kv`, and the
 * asynchronous key-value calls over the same keys), kept in memory by
 * node:sqlite and made durable as a log of the statements that changed it.
 *
 * Every call runs inside one SQLite transaction. A statement is logged when
 * it changed a row (total_changes grew) or the schema (schema_version moved),
 * so reads and idempotent `CREATE ... IF NOT EXISTS` cost nothing. At the end
 * of the call the host writes the call's log entry to Deno KV in one atomic
 * commit (kv-objects.ts) and only then commits the SQLite transaction; a lost
 * race rolls it back. Another process, or this one after a restart, rebuilds
 * the same database by running the logged statements again in order: the
 * statements are deterministic (no clock or random function in them; the
 * objects bind those values), and triggers run again on replay as they did
 * the first time. A snapshot (`dump`) lets the host cut the log short.
 */
import type { SqliteDatabase, SqliteModule } from "./deno-api.ts";

/** A logged statement: SQL text and its bound values. */
export type LoggedStatement = [sql: string, bindings: unknown[]];

type Row = Record<string, unknown>;

const KV_TABLE = "_object_kv";
const SCRIPT = /;\s*\S/;

/** A cursor over a statement's rows, with the parts of the Workers SqlStorageCursor the objects use. */
class RowsCursor<T extends Row> implements Iterable<T> {
  constructor(
    private readonly rows: T[],
    readonly columnNames: string[],
    readonly rowsWritten: number,
  ) {}

  get rowsRead(): number {
    return this.rows.length;
  }
  toArray(): T[] {
    return this.rows;
  }
  one(): T {
    if (this.rows.length !== 1) throw new Error(`Expected exactly one row from the query, got ${this.rows.length}`);
    return this.rows[0] as T;
  }
  *raw(): IterableIterator<unknown[]> {
    for (const row of this.rows) yield this.columnNames.map((c) => row[c]);
  }
  [Symbol.iterator](): Iterator<T> {
    return this.rows[Symbol.iterator]();
  }
  next(): IteratorResult<T> {
    const row = this.rows.shift();
    return row ? { done: false, value: row } : { done: true, value: undefined };
  }
}

export class ObjectDatabase {
  private readonly db: SqliteDatabase;
  private log: LoggedStatement[] = [];
  private inCall = false;
  private savepoints = 0;

  constructor(
    sqlite: SqliteModule,
    private readonly encode: (value: unknown) => Uint8Array,
    private readonly decode: (bytes: Uint8Array) => unknown,
  ) {
    this.db = new sqlite.DatabaseSync(":memory:");
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${KV_TABLE} (key TEXT PRIMARY KEY, value BLOB NOT NULL)`);
  }

  // ---- the call's transaction and its log

  begin(): void {
    this.db.exec("BEGIN");
    this.inCall = true;
    this.log = [];
  }

  /** The statements of the call so far (what the host writes to KV before `commit`). */
  get pending(): readonly LoggedStatement[] {
    return this.log;
  }

  commit(): void {
    this.end("COMMIT");
  }

  rollback(): void {
    this.end("ROLLBACK");
  }

  private end(verb: "COMMIT" | "ROLLBACK"): void {
    if (!this.inCall) return;
    this.inCall = false;
    this.savepoints = 0;
    this.log = [];
    this.db.exec(verb);
  }

  /** Runs the entries other calls logged, in one transaction (when rebuilding, or catching up with another process). */
  replayAll(entries: readonly (readonly LoggedStatement[])[]): void {
    this.db.exec("BEGIN");
    try {
      for (const entry of entries) for (const [query, bindings] of entry) this.run(query, bindings);
      this.db.exec("COMMIT");
    } catch (err) {
      this.db.exec("ROLLBACK");
      throw err;
    }
  }

  // ---- storage.sql

  readonly sql = {
    exec: <T extends Row>(query: string, ...bindings: unknown[]): RowsCursor<T> => this.exec<T>(query, bindings),
    get databaseSize(): number {
      return 0;
    },
  };

  private exec<T extends Row>(query: string, bindings: unknown[]): RowsCursor<T> {
    this.requireCall();
    const before = this.changeMarks(bindings.length === 0);
    const cursor = this.run<T>(query, bindings);
    const after = this.changeMarks(bindings.length === 0);
    if (after.changes !== before.changes || after.schema !== before.schema) this.log.push([query, bindings]);
    return cursor;
  }

  private run<T extends Row>(query: string, bindings: unknown[]): RowsCursor<T> {
    // A script of several statements (a schema) runs whole and returns no rows, as the Workers API does for DDL.
    if (bindings.length === 0 && SCRIPT.test(query.trim())) {
      this.db.exec(query);
      return new RowsCursor<T>([], [], 0);
    }
    const statement = this.db.prepare(query);
    const columns = statement.columns().map((c) => c.name);
    if (columns.length === 0) {
      const { changes } = statement.run(...bindings);
      return new RowsCursor<T>([], [], Number(changes));
    }
    const rows = statement.all(...bindings).map((r) => ({ ...r }) as T);
    return new RowsCursor<T>(rows, columns, 0);
  }

  private changeMarks(withSchema: boolean): { changes: number; schema: number } {
    const changes = Number((this.db.prepare("SELECT total_changes() AS n").get() as { n: number }).n);
    const schema = withSchema ? Number((this.db.prepare("PRAGMA schema_version").get() as { schema_version: number }).schema_version) : 0;
    return { changes, schema };
  }

  /** `storage.transactionSync`: a savepoint whose statements leave the log again if it rolls back. */
  transactionSync<T>(fn: () => T): T {
    this.requireCall();
    const name = `sp${++this.savepoints}`;
    const mark = this.log.length;
    this.db.exec(`SAVEPOINT ${name}`);
    try {
      const result = fn();
      this.db.exec(`RELEASE ${name}`);
      return result;
    } catch (err) {
      this.db.exec(`ROLLBACK TO ${name}`);
      this.db.exec(`RELEASE ${name}`);
      this.log.length = mark;
      throw err;
    } finally {
      this.savepoints--;
    }
  }

  // ---- key-value storage (storage.kv and the asynchronous get/put/delete/list share these keys)

  readonly kv = {
    get: <V>(key: string): V | undefined => this.kvGet(key) as V | undefined,
    put: (key: string, value: unknown): void => {
      this.exec(`INSERT INTO ${KV_TABLE} (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [
        key,
        this.encode(value),
      ]);
    },
    delete: (key: string): boolean => this.exec(`DELETE FROM ${KV_TABLE} WHERE key = ?`, [key]).rowsWritten > 0,
    list: (): Map<string, unknown> => {
      const rows = this.exec<{ key: string; value: Uint8Array }>(`SELECT key, value FROM ${KV_TABLE} ORDER BY key`, []).toArray();
      return new Map(rows.map((r) => [r.key, this.decode(r.value)]));
    },
  };

  private kvGet(key: string): unknown {
    const row = this.exec<{ value: Uint8Array }>(`SELECT value FROM ${KV_TABLE} WHERE key = ?`, [key]).toArray()[0];
    return row ? this.decode(row.value) : undefined;
  }

  /** `deleteAll`: every key and every table the object made. */
  deleteAll(): void {
    const tables = this.exec<{ name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '${KV_TABLE}'`,
      [],
    ).toArray();
    for (const t of tables) this.exec(`DROP TABLE "${t.name}"`, []);
    this.exec(`DELETE FROM ${KV_TABLE}`, []);
  }

  /**
   * The whole database as statements that rebuild it from empty: tables,
   * then their rows (with the autoincrement counters), then indexes and
   * triggers, so no trigger runs again on rows that already hold its effect.
   */
  dump(): LoggedStatement[] {
    const schema = this.db.prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid").all() as {
      type: string;
      name: string;
      sql: string;
    }[];
    const tables = schema.filter((s) => s.type === "table" && !s.name.startsWith("sqlite_"));
    const out: LoggedStatement[] = tables.map((t) => [t.sql.replace(/^CREATE TABLE /i, "CREATE TABLE IF NOT EXISTS "), []]);
    for (const t of [...tables, { name: "sqlite_sequence" }]) {
      const exists = this.db.prepare("SELECT 1 AS x FROM sqlite_master WHERE name = ?").get(t.name);
      if (!exists) continue;
      const statement = this.db.prepare(`SELECT * FROM "${t.name}"`);
      const columns = statement.columns().map((c) => `"${c.name}"`);
      const insert = `INSERT INTO "${t.name}" (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`;
      for (const row of statement.all()) out.push([insert, Object.values(row)]);
    }
    for (const s of schema) if (s.type === "index" || s.type === "trigger") out.push([s.sql, []]);
    return out;
  }

  private requireCall(): void {
    if (!this.inCall) throw new Error("Object storage used outside a call");
  }
}
