/**
 * One full backup: every family's tables from one REPEATABLE READ snapshot,
 * read through a cursor a page at a time and written as bounded NDJSON parts
 * (so no table is ever held whole), the sequences, the migration heads, then
 * every Durable Object of record in bounded batches, and last the manifest.
 * Until the manifest is written the set is incomplete and never offered for
 * restore; a run that fails leaves its parts for the prune job to remove.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Database, Queryable } from "../platform/db.ts";
import { failIfInjected } from "../platform/faults.ts";
import { newId } from "../platform/ids.ts";
import type { Runtime } from "../platform/runtime.ts";
import { backupKey } from "./codec.ts";
import { type BackupsSettings, backupsConfig } from "./config.ts";
import { APPEND_ONLY_TABLES, type ChainBase, countSince, primaryKeys, sinceHolds, sinceQuery, tableKey } from "./incremental.ts";
import {
  allParts,
  type Manifest,
  manifestKey,
  type ObjectsEntry,
  type PartRef,
  type SequenceEntry,
  setPrefix,
  setSha256,
  type TableEntry,
} from "./manifest.ts";
import { exportObjects, objectNames, reservationIds } from "./object-export.ts";
import { type PartSink, PartWriter } from "./part-writer.ts";
import { estimateRows, qualified, quoteIdent, readMigrationHeads, readSequences, readTables, type TableShape } from "./pg-catalog.ts";
import { finishOperation, type Progress, startOperation } from "./progress.ts";
import { backupsBucket } from "./sets.ts";

/** Rows fetched from the cursor at a time. */
const FETCH_ROWS = 1000;

export const newBackupId = (now: Date) => `bk_${now.toISOString().replace(/[-:.]/g, "").slice(0, 15)}_${newId("x").slice(-8)}`;

export interface BackupOptions {
  /** The id to use (the admin route answers it before the run ends). */
  id?: string;
  /** An increment on this set (incremental.ts); without it, a full set. */
  base?: ChainBase;
}

export async function runBackup(rt: Runtime, db: Database, options: BackupOptions = {}): Promise<Manifest> {
  const settings = backupsConfig.read(rt);
  const started = rt.clock.now();
  const id = options.id ?? newBackupId(started);
  const progress = await startOperation(db, { id, kind: "backup", backupId: id });
  try {
    const manifest = await capture(rt, db, id, started, progress, settings, options.base ?? null);
    const key = manifestKey(id);
    await backupsBucket(rt).put(key, JSON.stringify(manifest), {
      httpMetadata: { contentType: "application/json" },
      customMetadata: {
        complete: "true",
        setSha256: manifest.setSha256,
        kind: manifest.kind,
        ...(manifest.chainFull ? { full: manifest.chainFull } : {}),
      },
    });
    await finishOperation(db, id, { status: "complete", manifestKey: key, result: summary(manifest) });
    return manifest;
  } catch (err) {
    await finishOperation(db, id, { status: "failed", error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}

export const summary = (m: Manifest) => ({
  backupId: m.id,
  kind: m.kind,
  ...(m.base ? { base: m.base, incrementTables: m.tables.filter((t) => t.mode === "since").length } : {}),
  tables: m.tables.length,
  objects: Object.fromEntries(m.objects.map((o) => [o.kind, o.objects])),
  ...m.totals,
  encrypted: m.encrypted,
  setSha256: m.setSha256,
});

async function capture(
  rt: Runtime,
  db: Database,
  id: string,
  started: Date,
  progress: Progress,
  settings: BackupsSettings,
  base: ChainBase | null,
): Promise<Manifest> {
  const sink: PartSink = {
    store: backupsBucket(rt),
    key: settings.BACKUP_ENCRYPTION_KEY ? await backupKey(settings.BACKUP_ENCRYPTION_KEY) : null,
    partBytes: settings.BACKUP_PART_BYTES,
    onPart: (p: PartRef) => progress.add(p.rows, p.bytes),
  };
  const prefix = setPrefix(id);

  // Postgres: one snapshot for every table, the object names and the schema version.
  const pg = await db.transaction(
    async (tx) => {
      const snapshotAt = (await tx.execute<{ now: string }>(sql`select to_json(now()) #>> '{}' as now`)).rows[0]!.now;
      const tables = await readTables(tx);
      const names = await objectNames(tx);
      await progress.expect((await estimateRows(tx)) + names.inventory.length + names.cart.length);
      const schemaVersion = await readMigrationHeads(tx);
      const sequences: SequenceEntry[] = await readSequences(tx);
      const pgSnapshot = (await tx.execute<{ s: string }>(sql`select pg_current_snapshot()::text as s`)).rows[0]!.s;
      const keys = base ? await primaryKeys(tx) : new Map<string, string[]>();
      const entries: TableEntry[] = [];
      for (const t of tables) {
        const writer = new PartWriter(sink, `${prefix}pg/${t.schema}.${t.table}/`);
        const cols = t.columns.map(quoteIdent).join(", ");
        const key = keys.get(tableKey(t));
        const counted = base && key && APPEND_ONLY_TABLES.has(tableKey(t)) ? await countSince(tx, t, base) : null;
        if (base && key && counted && sinceHolds(base, t, counted)) {
          await stream(tx, sinceQuery(t, base), writer);
          const parts = await writer.finish();
          entries.push({ ...entryOf(t, writer.rows, parts), mode: "since", totalRows: counted.total, key });
          continue;
        }
        await stream(tx, sql.raw(`select row_to_json(r)::text as j from (select ${cols} from ${qualified(t)}) r`), writer);
        entries.push(entryOf(t, writer.rows, await writer.finish()));
      }
      return { snapshotAt, pgSnapshot, tables: entries, sequences, schemaVersion, names };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );

  await failIfInjected(rt, db, "backup:objects", "start");

  // Durable Objects: the SKUs first, as their holds name the reservations to take.
  const fanOut = {
    batch: settings.BACKUP_OBJECT_BATCH,
    pageRows: settings.BACKUP_OBJECT_PAGE_ROWS,
    pauseMs: settings.BACKUP_OBJECT_PAUSE_MS,
  };
  const reservations = new Set<string>();
  const objects: ObjectsEntry[] = [
    await exportObjects(rt, "inventory", pg.names.inventory, fanOut, sink, `${prefix}do/inventory/`, (l) => {
      for (const r of reservationIds(l.snapshot)) reservations.add(r);
    }),
    await exportObjects(rt, "reservation", [...reservations].sort(), fanOut, sink, `${prefix}do/reservation/`),
    await exportObjects(rt, "cart", pg.names.cart, fanOut, sink, `${prefix}do/cart/`),
  ];

  const parts = allParts({ tables: pg.tables, objects });
  // Records: table rows plus objects (one NDJSON line each), as the progress board counts them.
  const rows = pg.tables.reduce((n, t) => n + t.rows, 0) + objects.reduce((n, o) => n + o.objects, 0);
  return {
    format: 1,
    id,
    kind: base ? "incremental" : "full",
    ...(base ? { base: base.id, depth: base.depth + 1, chainFull: base.full } : {}),
    pgSnapshot: pg.pgSnapshot,
    startedAt: started.toISOString(),
    finishedAt: rt.clock.now().toISOString(),
    complete: true,
    codeVersion: settings.CODE_VERSION,
    encrypted: sink.key !== null,
    schemaVersion: pg.schemaVersion,
    snapshotAt: new Date(pg.snapshotAt).toISOString(),
    tables: pg.tables,
    sequences: pg.sequences,
    objects,
    totals: { rows, bytes: parts.reduce((n, p) => n + p.bytes, 0), parts: parts.length },
    setSha256: await setSha256(parts),
  };
}

const entryOf = (t: TableShape, rows: number, parts: PartRef[]): TableEntry => ({
  schema: t.schema,
  table: t.table,
  columns: t.columns,
  rows,
  parts,
});

/** Streams a query's `j` column through a server-side cursor into a part writer, a page of rows at a time. */
async function stream(tx: Queryable, query: SQL, writer: PartWriter): Promise<void> {
  await tx.execute(sql`declare backup_rows no scroll cursor for ${query}`);
  for (;;) {
    const page = await tx.execute<{ j: string }>(sql.raw(`fetch ${FETCH_ROWS} from backup_rows`));
    for (const row of page.rows) await writer.add(row.j);
    if (page.rows.length < FETCH_ROWS) break;
  }
  await tx.execute(sql.raw("close backup_rows"));
}
