/** What every catalog write shares: who and why, version checks, and ProductUpdated events. */
import { sql } from "drizzle-orm";
import { ProductUpdated } from "../../queues/contracts/events/product.ts";
import type { EventSink } from "../../queues/outbox/outbox.ts";
import { type AppContext, dbOf } from "../platform/context.ts";
import type { Queryable, Tx } from "../platform/db.ts";
import { notFound } from "../platform/errors.ts";
import { eventFrom, type Scope } from "../platform/scope.ts";
import { type PurgeScope, purgeCached } from "./edge-cache.ts";
import { versionConflict } from "./etag.ts";
import { loadProductSnapshots } from "./snapshots.ts";

/** What a catalog write takes from the request scope: who and why, when, and the relay of its committed events. */
export type WriteScope = Pick<Scope, "correlationId" | "actor" | "now" | "afterCommit">;

/** After a committed write: purge what it changed from the edge cache before answering, so the writer reads its own write. */
export async function purgeAfterWrite(c: AppContext, scope: PurgeScope): Promise<void> {
  await purgeCached(c.env, dbOf(c), scope);
}

/** The unique constraint a failed statement broke, if that is why it failed. */
export function uniqueViolation(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const pg = e as { code?: string; constraint?: string };
    if (pg.code === "23505") return pg.constraint ?? "unique";
  }
  return null;
}

/** Locks the product row for the transaction and checks the version the writer read. */
export async function lockProduct(
  tx: Queryable,
  id: string,
  versions: number[],
): Promise<{ id: string; slug: string; version: number; status: string; categoryId: string | null }> {
  const result = await tx.execute<{ id: string; slug: string; version: number; status: string; category_id: string | null }>(
    sql`select id, slug, version, status, category_id from catalog.products where id = ${id} for update`,
  );
  const row = result.rows[0];
  if (!row) throw notFound("product");
  if (!versions.includes(row.version)) throw versionConflict("product", row.version);
  return { id: row.id, slug: row.slug, version: row.version, status: row.status, categoryId: row.category_id };
}

/** A change to what a product's snapshot shows (its images, its brand's name ...) is a new version of it. */
export async function bumpProductVersions(tx: Queryable, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.execute(sql`update catalog.products set version = version + 1, updated_at = now() where id = any(${sql.param(ids)}::text[])`);
}

/** Emits ProductUpdated with the current snapshot of each product (read inside the transaction). */
export async function emitProductsUpdated(tx: Tx, events: EventSink, ids: string[], changed: string[], scope: WriteScope): Promise<void> {
  for (let i = 0; i < ids.length; i += 200) {
    const page = await loadProductSnapshots(tx, { ids: ids.slice(i, i + 200), limit: 200 });
    for (const product of page.items) {
      await events.emit(ProductUpdated, eventFrom(scope, "products", product.productId, { product, changed }));
    }
  }
}
