/**
 * The Durable Object half of a backup: which objects exist (the names come
 * from the same Postgres snapshot as the tables), and their snapshots,
 * taken through the objects port in bounded batches so thousands of SKUs
 * finish within the job's limits without thousands of calls in flight.
 *
 * An object's state travels in pages (object-snapshot.ts): the first page
 * of every object of a batch is taken at once, then the later pages of the
 * ones with a long ledger one call at a time, each written as its own line
 * (`page` 1, 2, … after the first, `more` on every line but the last), so
 * neither a call, nor a line, nor the memory of a batch grows with a ledger.
 *
 * Inventory objects are named by SKU (the catalogue's variants and the stock
 * projection), carts by their user (`user:<id>`), reservations by the ids
 * the SKUs' holds name. Guest carts (named by a browser cookie nobody else
 * records), order sagas (their order lives in Postgres), job leases and
 * login throttles hold no state of record (docs/backups.md).
 */
import { sql } from "drizzle-orm";
import type { Cart } from "../cart/index.ts";
import type { Inventory, Reservation } from "../inventory/index.ts";
import { isEmptySnapshot, type ObjectSnapshot, type SnapshotCursor, type SnapshotPage } from "../platform/cloudflare/object-snapshot.ts";
import type { Queryable } from "../platform/db.ts";
import type { Runtime } from "../platform/runtime.ts";
import type { ObjectKind, ObjectsEntry } from "./manifest.ts";
import { type PartSink, PartWriter } from "./part-writer.ts";

export const OBJECT_BINDINGS: Record<ObjectKind, string> = { inventory: "INVENTORY", reservation: "RESERVATION", cart: "CART" };

type SnapshotStub = {
  exportSnapshotPage(cursor: SnapshotCursor | null, pageRows: number): Promise<SnapshotPage>;
  importSnapshot(s: ObjectSnapshot): Promise<unknown>;
  /** Only objects with append-only tables have later pages. */
  appendSnapshotRows?(s: ObjectSnapshot): Promise<unknown>;
};

/** The stub of one object, by kind, seen only through its snapshot methods. */
export function snapshotStub(rt: Pick<Runtime, "objects">, kind: ObjectKind, name: string): SnapshotStub {
  switch (kind) {
    case "inventory":
      return rt.objects.get<Inventory>(OBJECT_BINDINGS.inventory, name);
    case "reservation":
      return rt.objects.get<Reservation>(OBJECT_BINDINGS.reservation, name);
    case "cart":
      return rt.objects.get<Cart>(OBJECT_BINDINGS.cart, name);
  }
}

/** One line of an objects part: an object's first page (which replaces its state) or a later one (which adds rows). */
export interface ObjectLine {
  name: string;
  snapshot: ObjectSnapshot;
  /** 0 or absent: the first page; 1, 2, …: later pages, in order. */
  page?: number;
  /** Another page of this object follows. */
  more?: true;
}

export const isFirstPage = (l: ObjectLine) => !l.page;

export async function objectNames(db: Queryable): Promise<{ inventory: string[]; cart: string[] }> {
  const skus = await db.execute<{ sku: string }>(sql`
    select sku from catalog.variants union select sku from inventory.stock_levels order by 1`);
  const users = await db.execute<{ id: string }>(sql`select id from users.users order by id`);
  return { inventory: skus.rows.map((r) => r.sku), cart: users.rows.map((r) => `user:${r.id}`) };
}

export const snapshotRows = (s: ObjectSnapshot) =>
  Object.values(s.tables).reduce((n, t) => n + t.rows.length, 0) + Object.keys(s.kv).length;

/** The reservations an Inventory snapshot's holds name. */
export function reservationIds(s: ObjectSnapshot): string[] {
  const holds = s.tables.holds;
  if (!holds) return [];
  const col = holds.columns.indexOf("reservation_id");
  return col < 0 ? [] : holds.rows.map((r) => String(r[col]));
}

export interface ObjectFanOut {
  /** Objects visited at once. */
  batch: number;
  /** Rows of an append-only table (a ledger) per page. */
  pageRows: number;
  /** Milliseconds to wait after each batch (0: none). */
  pauseMs: number;
}

export const pause = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

export async function exportObjects(
  rt: Pick<Runtime, "objects">,
  kind: ObjectKind,
  names: readonly string[],
  fanOut: ObjectFanOut,
  sink: PartSink,
  prefix: string,
  seen?: (line: ObjectLine) => void,
): Promise<ObjectsEntry> {
  const writer = new PartWriter(sink, prefix);
  let objects = 0;
  let rows = 0;
  const write = async (line: ObjectLine, next: SnapshotCursor | null) => {
    rows += snapshotRows(line.snapshot);
    await writer.add(JSON.stringify(next ? { ...line, more: true } : line));
  };
  for (let i = 0; i < names.length; i += fanOut.batch) {
    const slice = names.slice(i, i + fanOut.batch);
    const firsts = await Promise.all(slice.map((name) => snapshotStub(rt, kind, name).exportSnapshotPage(null, fanOut.pageRows)));
    for (const [j, first] of firsts.entries()) {
      if (isEmptySnapshot(first.snapshot) && !first.next) continue;
      const name = slice[j]!;
      const line: ObjectLine = { name, snapshot: first.snapshot };
      seen?.(line);
      objects++;
      await write(line, first.next);
      // The rest of this object's pages, one call at a time, each stored before the next is asked for.
      let next = first.next;
      for (let page = 1; next; page++) {
        const p = await snapshotStub(rt, kind, name).exportSnapshotPage(next, fanOut.pageRows);
        await write({ name, snapshot: p.snapshot, page }, p.next);
        next = p.next;
      }
    }
    await pause(fanOut.pauseMs);
  }
  return { kind, objects, rows, parts: await writer.finish() };
}
