/**
 * Incremental sets between the daily fulls. A table qualifies when its
 * rows are only ever inserted (an event log, a timeline, a trail): the
 * increment then holds only the row versions written since the previous
 * set of the chain; every other table is copied whole, as it is updated in
 * place by an application-set `updated_at` (a clock-skewed writer can set
 * an older time) and a deleted row leaves no trace to export.
 *
 * "Written since" is not read from an id or a timestamp (both are taken
 * before the writing transaction commits, so rows commit out of their
 * order) but from Postgres itself: each row version's `xmin` (the writing
 * transaction) against the previous set's `pg_current_snapshot()`. The
 * increment exports every version whose transaction is at or after that
 * snapshot's oldest running one: a superset (a version already in the
 * previous set may come again; a restore takes the newer version of a
 * repeated primary key), which also
 * covers transactions whose work a savepoint did (Postgres's
 * `pg_visible_in_snapshot` cannot judge subtransaction ids).
 *
 * Deletes and updates are never guessed at: in the same snapshot the backup
 * counts the table and the versions the previous snapshot could not see;
 * unless the previous count plus those equals the count now, some old row
 * was deleted or changed (a retention prune, say), and this set copies the
 * table whole instead. A restore of the chain loads the newest whole copy,
 * then each increment's rows in order, and refuses unless every table then
 * holds exactly the rows counted at the chosen set.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../platform/db.ts";
import type { Manifest, TableEntry } from "./manifest.ts";
import { qualified, quoteIdent } from "./pg-catalog.ts";
import type { TableRef } from "./table-order.ts";

/**
 * Tables whose rows are inserted and never updated by the code (some are pruned by age: the count check then
 * copies them whole for that set). A table wrongly listed costs time, never correctness.
 */
export const APPEND_ONLY_TABLES: ReadonlySet<string> = new Set([
  "audit.entries", // a database trigger refuses updates; the retention job deletes covered entries
  "audit.checkpoints", // a database trigger refuses updates and deletes
  "orders.order_timeline",
  "delivery.shipment_events",
  "delivery.carrier_events",
  "payments.webhook_events",
  "events.processed_events", // pruned by age (processed-events-prune)
  "recommendations.signals", // pruned by age (the rebuild)
  "recommendations.exposures",
  "recommendations.clicks",
  "recommendations.conversions",
  "search.query_log", // pruned by age
  "notifications.delivery_attempts", // pruned by age
  "notifications.provider_events",
]);

/** A chain may not grow without end: past this many increments the job takes a full set. */
export const MAX_CHAIN = 30;

/** The previous set of the chain, as an increment needs it. */
export interface ChainBase {
  id: string;
  /** Its `pg_current_snapshot()`. */
  pgSnapshot: string;
  /** Rows each table held at its snapshot. */
  counts: Map<string, number>;
  /** Increments since the chain's full. */
  depth: number;
  /** The chain's full. */
  full: string;
}

export const tableKey = (t: TableRef) => `${t.schema}.${t.table}`;
export const totalRowsOf = (t: TableEntry) => t.totalRows ?? t.rows;

export function chainBase(m: Manifest): ChainBase | null {
  if (!m.pgSnapshot) return null;
  return {
    id: m.id,
    pgSnapshot: m.pgSnapshot,
    counts: new Map(m.tables.map((t) => [tableKey(t), totalRowsOf(t)])),
    depth: m.kind === "incremental" ? (m.depth ?? 1) : 0,
    full: m.chainFull ?? m.id,
  };
}

/** Each table's primary key columns (a restore recognises a repeated row by them, and takes the newer version). */
export async function primaryKeys(db: Queryable): Promise<Map<string, string[]>> {
  const r = await db.execute<{ t: string; columns: string[] }>(sql`
    select n.nspname || '.' || c.relname as t, array_agg(a.attname::text order by u.ord) as columns
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
    cross join lateral unnest(k.conkey) with ordinality u(attnum, ord)
    join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum
    where k.contype = 'p' group by 1`);
  return new Map(r.rows.map((x) => [x.t, x.columns]));
}

/** The row's writing transaction as a 64-bit id (xmin is 32 bits: the epoch is the snapshot's, or the one before). */
const XID8 = `(case when k.epoch + t.xmin::text::bigint > k.top then k.epoch + t.xmin::text::bigint - 4294967296
  else k.epoch + t.xmin::text::bigint end)`;
const EPOCH = `(select (pg_snapshot_xmax(s)::text::bigint >> 32) << 32 as epoch, pg_snapshot_xmax(s)::text::bigint as top
  from pg_current_snapshot() s) k`;

/** The table's rows now, and the versions the previous snapshot could not see (both in the running snapshot). */
export async function countSince(db: Queryable, t: TableRef, base: ChainBase): Promise<{ total: number; unseen: number }> {
  const r = await db.execute<{ total: string; unseen: string }>(
    sql`select count(*)::text as total,
      count(*) filter (where not pg_visible_in_snapshot(${sql.raw(XID8)}::text::xid8, ${base.pgSnapshot}::pg_snapshot))::text as unseen
      from ${sql.raw(qualified(t))} t, ${sql.raw(EPOCH)}`,
  );
  return { total: Number(r.rows[0]!.total), unseen: Number(r.rows[0]!.unseen) };
}

/** Whether the table may go as an increment: it is append-only, keyed, and no old row was deleted or changed. */
export function sinceHolds(base: ChainBase, t: TableRef, counted: { total: number; unseen: number }): boolean {
  const before = base.counts.get(tableKey(t));
  return before !== undefined && before + counted.unseen === counted.total;
}

/** The query an increment streams: the row versions written at or after the previous snapshot's oldest running transaction. */
export function sinceQuery(t: TableRef & { columns: string[] }, base: ChainBase): SQL {
  const columns = t.columns.map((c) => `t.${quoteIdent(c)}`).join(", ");
  return sql`select row_to_json(r)::text as j from ${sql.raw(qualified(t))} t
    cross join ${sql.raw(EPOCH)} cross join lateral (select ${sql.raw(columns)}) r
    where ${sql.raw(XID8)} >= pg_snapshot_xmin(${base.pgSnapshot}::pg_snapshot)::text::bigint`;
}

/** The chain of a set back to its full, oldest first; every set in it must be complete and add up (`load` refuses otherwise). */
export async function chainOf(m: Manifest, load: (id: string) => Promise<Manifest>): Promise<Manifest[]> {
  const chain = [m];
  for (let s = m; s.kind === "incremental"; ) {
    if (!s.base || chain.length > MAX_CHAIN + 1) throw new Error(`${s.id} names no usable base`);
    s = await load(s.base);
    chain.unshift(s);
  }
  return chain;
}

/**
 * The tables of the chain's last set as a restore loads them: a table the set copied whole as it is; one it
 * holds as an increment takes the parts of the newest whole copy before it, then every increment's, in order.
 */
export function resolveTables(chain: readonly Manifest[]): TableEntry[] {
  const target = chain[chain.length - 1]!;
  return target.tables.map((t) => {
    if (t.mode !== "since") return t;
    const parts = [];
    let i = chain.length - 1;
    for (; i >= 0; i--) {
      const entry = chain[i]!.tables.find((x) => x.schema === t.schema && x.table === t.table);
      if (!entry) throw new Error(`${tableKey(t)} is missing from ${chain[i]!.id}, a set of the chain`);
      parts.unshift(...entry.parts);
      if (entry.mode !== "since") break;
    }
    if (i < 0) throw new Error(`${tableKey(t)} has no whole copy in its chain`);
    return { ...t, parts, rows: totalRowsOf(t), overlap: true };
  });
}
