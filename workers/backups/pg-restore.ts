/**
 * Loads a backup's tables into a database, in one transaction: the target
 * must be at the backup's schema version (the same migration heads), the
 * tables in scope are emptied together, refilled in foreign-key order a
 * batch of rows at a time (Postgres parses the rows: no value goes through
 * a JavaScript number), and the sequences set back. User triggers are off
 * for the duration, as the audit trail's guard refuses any truncation, and
 * on again before the commit. Any failure rolls the whole load back.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../platform/db.ts";
import { ApiError } from "../platform/errors.ts";
import type { BlobStore } from "../platform/runtime.ts";
import { BackupErrors } from "./errors.ts";
import type { Manifest, TableEntry } from "./manifest.ts";
import { headDifferences, qualified, quoteIdent, readMigrationHeads } from "./pg-catalog.ts";
import type { Progress } from "./progress.ts";
import { partLines } from "./sets.ts";

/** Rows per INSERT. */
const INSERT_ROWS = 500;

export const tablesInScope = (m: Manifest, schemas: readonly string[] | undefined): TableEntry[] =>
  schemas ? m.tables.filter((t) => schemas.includes(t.schema)) : m.tables;

export async function assertSameSchemaVersion(db: Database, m: Manifest): Promise<void> {
  const differences = headDifferences(m.schemaVersion, await readMigrationHeads(db));
  if (differences.length > 0)
    throw new ApiError(
      BackupErrors.BACKUP_SCHEMA_MISMATCH,
      "the target database is not at the backup's schema version: migrate it (or restore a backup taken at its version) first",
      { differences },
    );
}

export interface LoadResult {
  tables: { schema: string; table: string; rows: number }[];
  rows: number;
}

export async function restoreTables(
  db: Database,
  store: BlobStore,
  key: CryptoKey | null,
  m: Manifest,
  schemas: readonly string[] | undefined,
  progress: Progress,
): Promise<LoadResult> {
  await assertSameSchemaVersion(db, m);
  const tables = tablesInScope(m, schemas);
  const inScope = new Set(tables.map((t) => t.schema));
  const loaded: LoadResult["tables"] = [];
  await db.transaction(async (tx) => {
    for (const t of tables) await tx.execute(sql.raw(`alter table ${qualified(t)} disable trigger user`));
    if (tables.length > 0) await tx.execute(sql.raw(`truncate table ${tables.map(qualified).join(", ")}`));
    for (const t of tables) {
      const cols = t.columns.map(quoteIdent).join(", ");
      const insert = sql.raw(
        `insert into ${qualified(t)} (${cols}) overriding system value select ${cols} from json_populate_recordset(null::${qualified(t)}, `,
      );
      // A chain's parts may repeat a row (incremental.ts): the later version of a key wins.
      const onConflict = sql.raw(
        t.overlap && t.key ? `) on conflict (${t.key.map(quoteIdent).join(", ")}) do update set ${updateAll(t)}` : ")",
      );
      let rows = 0;
      for (const part of t.parts) {
        const lines = await partLines(store, part, key);
        for (let i = 0; i < lines.length; i += INSERT_ROWS) {
          const chunk = lines.slice(i, i + INSERT_ROWS);
          await tx.execute(sql`${insert}${`[${chunk.join(",")}]`}::json${onConflict}`);
          rows += chunk.length;
        }
        await progress.add(part.rows, part.bytes);
      }
      if (t.overlap) rows = (await tx.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${qualified(t)}`))).rows[0]!.n;
      if (rows !== t.rows)
        throw new Error(
          t.overlap
            ? `${t.schema}.${t.table}: the chain gives ${rows} rows, the set counted ${t.rows} (a row was deleted or changed where the backup saw none): restore the full set`
            : `${t.schema}.${t.table}: loaded ${rows} rows, the manifest says ${t.rows}`,
        );
      loaded.push({ schema: t.schema, table: t.table, rows });
    }
    for (const s of m.sequences.filter((x) => inScope.has(x.schema))) {
      const name = `${quoteIdent(s.schema)}.${quoteIdent(s.name)}`;
      if (s.lastValue === null) await tx.execute(sql`select setval(${name}::regclass, 1, false)`);
      else await tx.execute(sql`select setval(${name}::regclass, ${s.lastValue}::bigint, true)`);
    }
    for (const t of tables) await tx.execute(sql.raw(`alter table ${qualified(t)} enable trigger user`));
  });
  return { tables: loaded, rows: loaded.reduce((n, t) => n + t.rows, 0) };
}

function updateAll(t: TableEntry): string {
  const key = new Set(t.key);
  const set = t.columns.filter((c) => !key.has(c)).map((c) => `${quoteIdent(c)} = excluded.${quoteIdent(c)}`);
  // A table of key columns only: a repeated row is the same row.
  return set.length > 0 ? set.join(", ") : `${quoteIdent(t.key![0]!)} = excluded.${quoteIdent(t.key![0]!)}`;
}
