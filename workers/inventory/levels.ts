/**
 * Every SKU's stock level, read from the stock projection, for staff: found
 * by SKU prefix, filtered by status (in stock, low, out), sorted by SKU or
 * emptiest first, keyset-paginated. The low-stock report answers "what to
 * reorder"; this answers "where does this SKU, or this family of SKUs, stand".
 */
import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, lte, or, type SQL, sql } from "drizzle-orm";
import { stockLevels } from "../../db/schema/inventory.ts";
import { decodeCursor, keysetPage } from "../platform/cursor.ts";
import type { Queryable } from "../platform/db.ts";

export type LevelStatus = "in_stock" | "low_stock" | "out_of_stock";
export type LevelSort = "sku" | "available";

export interface LevelRow {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  lowStockThreshold: number;
  status: LevelStatus;
  updatedAt: string;
}

const statusOf = (available: number, threshold: number): LevelStatus =>
  available <= 0 ? "out_of_stock" : available < threshold ? "low_stock" : "in_stock";

/** The same rule as the stock object's status (durable-objects/inventory/stock.ts), as a condition. */
function statusIs(status: LevelStatus): SQL {
  if (status === "out_of_stock") return lte(stockLevels.available, 0);
  if (status === "low_stock") return and(gt(stockLevels.available, 0), sql`${stockLevels.available} < ${stockLevels.lowStockThreshold}`)!;
  return sql`${stockLevels.available} >= ${stockLevels.lowStockThreshold} and ${stockLevels.available} > 0`;
}

export async function stockLevelsPage(
  db: Queryable,
  opts: { limit: number; cursor?: string; sku?: string; status?: LevelStatus; sort: LevelSort },
): Promise<{ items: LevelRow[]; nextCursor: string | null }> {
  const sort = `levels:${opts.sort}-asc`;
  let after: SQL | undefined;
  if (opts.cursor && opts.sort === "sku") after = gt(stockLevels.sku, decodeCursor(opts.cursor, sort, ["string"])[0]);
  if (opts.cursor && opts.sort === "available") {
    const [available, sku] = decodeCursor(opts.cursor, sort, [z.int32(), "string"]);
    after = or(gt(stockLevels.available, available), and(eq(stockLevels.available, available), gt(stockLevels.sku, sku)));
  }
  const rows = await db
    .select()
    .from(stockLevels)
    .where(
      and(opts.sku ? sql`starts_with(${stockLevels.sku}, ${opts.sku})` : undefined, opts.status ? statusIs(opts.status) : undefined, after),
    )
    .orderBy(...(opts.sort === "available" ? [asc(stockLevels.available), asc(stockLevels.sku)] : [asc(stockLevels.sku)]))
    .limit(opts.limit + 1);
  const { page, nextCursor } = keysetPage(rows, opts.limit, sort, (r) => (opts.sort === "available" ? [r.available, r.sku] : [r.sku]));
  return {
    items: page.map((r) => ({
      sku: r.sku,
      onHand: r.onHand,
      reserved: r.reserved,
      available: r.available,
      lowStockThreshold: r.lowStockThreshold,
      status: statusOf(r.available, r.lowStockThreshold),
      updatedAt: r.updatedAt.toISOString(),
    })),
    nextCursor,
  };
}
