/**
 * What the database holds, read from its catalogue: every family's tables
 * (in restore order) with their stored columns, the sequences, and each
 * migration family's head. The backups family's own schema (its progress
 * board) is left out, so a restore never rewrites the record of itself.
 */
import { sql } from "drizzle-orm";
import { DB_FAMILIES } from "../../db/families.ts";
import type { Queryable } from "../platform/db.ts";
import type { MigrationHead, SequenceEntry } from "./manifest.ts";
import { restoreOrder, type TableRef } from "./table-order.ts";

/** Schemas a backup never captures: its own progress board. */
const EXCLUDED_SCHEMAS = new Set(["backups"]);

export interface TableShape extends TableRef {
  columns: string[];
}

/** Every schema the families' migrations create (a family's schema may be named differently from it: read the catalogue). */
async function familySchemas(db: Queryable): Promise<string[]> {
  const r = await db.execute<{ nspname: string }>(sql`
    select nspname from pg_namespace
    where nspname not in ('public', 'drizzle', 'information_schema') and nspname not like 'pg\\_%'
    order by nspname`);
  return r.rows.map((x) => x.nspname).filter((s) => !EXCLUDED_SCHEMAS.has(s));
}

export async function readTables(db: Queryable): Promise<TableShape[]> {
  const schemas = await familySchemas(db);
  const cols = await db.execute<{ table_schema: string; table_name: string; columns: string[] }>(sql`
    select c.table_schema, c.table_name, array_agg(c.column_name::text order by c.ordinal_position) as columns
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = any(${sql.param(schemas)}::text[]) and c.is_generated = 'NEVER'
    group by c.table_schema, c.table_name`);
  const fks = await db.execute<{ child: string; parent: string }>(sql`
    select cn.nspname || '.' || cc.relname as child, pn.nspname || '.' || pc.relname as parent
    from pg_constraint k
    join pg_class cc on cc.oid = k.conrelid join pg_namespace cn on cn.oid = cc.relnamespace
    join pg_class pc on pc.oid = k.confrelid join pg_namespace pn on pn.oid = pc.relnamespace
    where k.contype = 'f'`);
  const refs = new Map<string, string[]>();
  for (const fk of fks.rows) refs.set(fk.child, [...(refs.get(fk.child) ?? []), fk.parent]);
  const tables = cols.rows.map((r) => ({ schema: r.table_schema, table: r.table_name, columns: r.columns }));
  return restoreOrder(tables, refs);
}

export async function readSequences(db: Queryable): Promise<SequenceEntry[]> {
  const schemas = await familySchemas(db);
  const r = await db.execute<{ schemaname: string; sequencename: string; last_value: string | null }>(sql`
    select schemaname, sequencename, last_value::text as last_value from pg_sequences
    where schemaname = any(${sql.param(schemas)}::text[]) order by schemaname, sequencename`);
  return r.rows.map((s) => ({ schema: s.schemaname, name: s.sequencename, lastValue: s.last_value }));
}

/** Each migration family's applied count and newest migration (drizzle.__migrations_<family>). */
export async function readMigrationHeads(db: Queryable): Promise<Record<string, MigrationHead>> {
  const present = await db.execute<{ table_name: string }>(sql`
    select table_name from information_schema.tables where table_schema = 'drizzle' and table_name like '\\_\\_migrations\\_%'`);
  const tables = new Set(present.rows.map((r) => r.table_name));
  const heads: Record<string, MigrationHead> = {};
  for (const family of DB_FAMILIES) {
    const table = `__migrations_${family}`;
    if (!tables.has(table)) continue;
    const r = await db.execute<{ applied: number; hash: string | null; created_at: string | null }>(
      sql.raw(`select (select count(*)::int from drizzle."${table}") as applied,
        (select hash from drizzle."${table}" order by created_at desc, id desc limit 1) as hash,
        (select max(created_at)::text from drizzle."${table}") as created_at`),
    );
    const row = r.rows[0]!;
    heads[family] = { applied: row.applied, hash: row.hash, createdAt: row.created_at === null ? null : Number(row.created_at) };
  }
  return heads;
}

/** The planner's estimate of the rows in these schemas (no scan): the ETA's denominator. */
export async function estimateRows(db: Queryable): Promise<number> {
  const schemas = await familySchemas(db);
  const r = await db.execute<{ n: string | null }>(sql`
    select sum(greatest(c.reltuples, 0))::bigint::text as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and n.nspname = any(${sql.param(schemas)}::text[])`);
  return Number(r.rows[0]?.n ?? 0);
}

/** Differences between two sets of migration heads (empty: the same schema version). */
export function headDifferences(a: Record<string, MigrationHead>, b: Record<string, MigrationHead>): string[] {
  const families = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return families.flatMap((f) => {
    const x = a[f];
    const y = b[f];
    if (!x || !y) return [`${f}: migrated on one side only`];
    return x.applied === y.applied && x.hash === y.hash ? [] : [`${f}: ${x.applied} migrations (${x.hash}) vs ${y.applied} (${y.hash})`];
  });
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const qualified = (t: TableRef) => `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`;
