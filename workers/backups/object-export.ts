/**
 * The Durable Object half of a backup: which objects exist (the names come
 * from the same Postgres snapshot as the tables), and their snapshots,
 * taken through the objects port in bounded batches so thousands of SKUs
 * finish within the job's limits without thousands of calls in flight.
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
import { isEmptySnapshot, type ObjectSnapshot } from "../platform/cloudflare/object-snapshot.ts";
import type { Queryable } from "../platform/db.ts";
import type { Runtime } from "../platform/runtime.ts";
import type { ObjectKind, ObjectsEntry } from "./manifest.ts";
import { type PartSink, PartWriter } from "./part-writer.ts";

export const OBJECT_BINDINGS: Record<ObjectKind, string> = { inventory: "INVENTORY", reservation: "RESERVATION", cart: "CART" };

type SnapshotStub = { exportSnapshot(): Promise<ObjectSnapshot>; importSnapshot(s: ObjectSnapshot): Promise<unknown> };

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

/** One line of an objects part. */
export interface ObjectLine {
  name: string;
  snapshot: ObjectSnapshot;
}

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

export async function exportObjects(
  rt: Pick<Runtime, "objects">,
  kind: ObjectKind,
  names: readonly string[],
  batch: number,
  sink: PartSink,
  prefix: string,
  seen?: (line: ObjectLine) => void,
): Promise<ObjectsEntry> {
  const writer = new PartWriter(sink, prefix);
  let objects = 0;
  let rows = 0;
  for (let i = 0; i < names.length; i += batch) {
    const slice = names.slice(i, i + batch);
    const snapshots = await Promise.all(slice.map((name) => snapshotStub(rt, kind, name).exportSnapshot()));
    for (const [j, snapshot] of snapshots.entries()) {
      if (isEmptySnapshot(snapshot)) continue;
      const line = { name: slice[j]!, snapshot };
      seen?.(line);
      objects++;
      rows += snapshotRows(snapshot);
      await writer.add(JSON.stringify(line));
    }
  }
  return { kind, objects, rows, parts: await writer.finish() };
}
