/** The low-stock report, read from the stock projection: emptiest first, keyset-paginated. */
import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, or, sql } from "drizzle-orm";
import { stockLevels } from "../../db/schema/inventory.ts";
import { decodeCursor, keysetPage } from "../platform/cursor.ts";
import type { Queryable } from "../platform/db.ts";

export interface LowStockRow {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  lowStockThreshold: number;
  reorderPoint: number;
  reorderQuantity: number;
  status: "low_stock" | "out_of_stock";
  updatedAt: string;
}

/** Emptiest first; the cursor's key is the last row's (available, sku). */
const LOW_STOCK_SORT = "low-stock:available-asc";

export async function lowStockReport(
  db: Queryable,
  opts: { limit: number; cursor?: string; status?: "low_stock" | "out_of_stock" },
): Promise<{ items: LowStockRow[]; nextCursor: string | null }> {
  const after = opts.cursor ? decodeCursor(opts.cursor, LOW_STOCK_SORT, [z.int32(), "string"]) : null;
  const rows = await db
    .select()
    .from(stockLevels)
    .where(
      and(
        sql`${stockLevels.available} < ${stockLevels.lowStockThreshold}`,
        opts.status === "out_of_stock"
          ? eq(stockLevels.available, 0)
          : opts.status === "low_stock"
            ? gt(stockLevels.available, 0)
            : undefined,
        after
          ? or(gt(stockLevels.available, after[0]), and(eq(stockLevels.available, after[0]), gt(stockLevels.sku, after[1])))
          : undefined,
      ),
    )
    .orderBy(asc(stockLevels.available), asc(stockLevels.sku))
    .limit(opts.limit + 1);
  const { page, nextCursor } = keysetPage(rows, opts.limit, LOW_STOCK_SORT, (r) => [r.available, r.sku]);
  const items = page.map((r) => ({
    sku: r.sku,
    onHand: r.onHand,
    reserved: r.reserved,
    available: r.available,
    lowStockThreshold: r.lowStockThreshold,
    reorderPoint: r.reorderPoint,
    reorderQuantity: r.reorderQuantity,
    status: r.available <= 0 ? ("out_of_stock" as const) : ("low_stock" as const),
    updatedAt: r.updatedAt.toISOString(),
  }));
  return { items, nextCursor };
}
