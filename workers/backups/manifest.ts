/**
 * The manifest of a backup set: what was captured (every table with its
 * columns and parts, every sequence, every kind of object), row and byte
 * counts, a SHA-256 per stored part and one over the whole set, the start
 * and end, the code version and the schema version (each family's
 * migration head). Written last, and only by a run that finished: a set
 * without a complete manifest is never offered for restore.
 */
import { sha256Hex } from "./codec.ts";

export interface PartRef {
  key: string;
  sha256: string;
  /** Stored (compressed, maybe sealed) bytes. */
  bytes: number;
  rows: number;
}

export interface TableEntry {
  schema: string;
  table: string;
  /** The columns stored (generated columns are left out: Postgres computes them again). */
  columns: string[];
  rows: number;
  parts: PartRef[];
  /** "since": an increment's rows, written since the previous set of the chain (incremental.ts); absent: the whole table. */
  mode?: "since";
  /** Rows the table held at the snapshot (an increment's `rows` are only the rows it exported). */
  totalRows?: number;
  /** The primary key, by which a restore recognises a row an increment repeats. */
  key?: string[];
  /** Only in a chain resolved for a restore: the parts may repeat a row (by key), so the table is checked by its count. */
  overlap?: true;
}

export interface SequenceEntry {
  schema: string;
  name: string;
  /** null: the sequence was never used. */
  lastValue: string | null;
}

export const OBJECT_KINDS = ["inventory", "reservation", "cart"] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

export interface ObjectsEntry {
  kind: ObjectKind;
  /** Objects with state (an object that never stored anything is not kept). */
  objects: number;
  /** Rows over all their tables and keys. */
  rows: number;
  parts: PartRef[];
}

export interface MigrationHead {
  applied: number;
  hash: string | null;
  createdAt: number | null;
}

export interface Manifest {
  format: 1;
  id: string;
  kind: "full" | "incremental";
  /** An increment's previous set (a full or an increment), and how many increments its chain holds with it. */
  base?: string;
  depth?: number;
  /** An increment's chain starts from this full (listed with the set, so retention keeps a chain together). */
  chainFull?: string;
  /** `pg_current_snapshot()` of the Postgres snapshot: the next increment exports what it could not see. */
  pgSnapshot?: string;
  startedAt: string;
  finishedAt: string;
  complete: true;
  codeVersion: string;
  encrypted: boolean;
  /** Per migration family, its head: a restore goes only into a database at the same heads. */
  schemaVersion: Record<string, MigrationHead>;
  /** When the Postgres snapshot (one REPEATABLE READ transaction for every table) was taken. */
  snapshotAt: string;
  /** In the order a restore refills them (a table referenced by a foreign key first). */
  tables: TableEntry[];
  sequences: SequenceEntry[];
  objects: ObjectsEntry[];
  /** Records (table rows plus objects, one NDJSON line each), stored bytes and parts. */
  totals: { rows: number; bytes: number; parts: number };
  /** SHA-256 over the sorted `key sha256` lines of every part: one value for the whole set. */
  setSha256: string;
}

export const setPrefix = (id: string) => `sets/${id}/`;
export const manifestKey = (id: string) => `sets/${id}/manifest.json`;

export function allParts(m: Pick<Manifest, "tables" | "objects">): PartRef[] {
  return [...m.tables.flatMap((t) => t.parts), ...m.objects.flatMap((o) => o.parts)];
}

export function setSha256(parts: readonly PartRef[]): Promise<string> {
  const lines = parts.map((p) => `${p.key} ${p.sha256}`).sort();
  return sha256Hex(lines.join("\n"));
}

/** What is wrong with a manifest as read back (empty: nothing); the parts' bytes are checked as they are read. */
export async function manifestProblems(m: Manifest): Promise<string[]> {
  const problems: string[] = [];
  if (m.format !== 1) problems.push(`unknown manifest format ${String(m.format)}`);
  if (m.complete !== true) problems.push("the backup did not complete");
  const parts = allParts(m);
  if ((await setSha256(parts)) !== m.setSha256) problems.push("the set checksum does not match the parts listed");
  const rows = m.tables.reduce((n, t) => n + t.rows, 0) + m.objects.reduce((n, o) => n + o.objects, 0);
  if (rows !== m.totals.rows) problems.push(`the manifest counts ${m.totals.rows} rows, its entries ${rows}`);
  for (const t of m.tables) {
    const partRows = t.parts.reduce((n, p) => n + p.rows, 0);
    if (partRows !== t.rows) problems.push(`${t.schema}.${t.table}: ${t.rows} rows listed, ${partRows} in its parts`);
  }
  return problems;
}
