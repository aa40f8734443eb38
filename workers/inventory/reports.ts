/** The low-stock report, read from the stock projection: emptiest first, keyset-paginated. */
import { and, asc, eq, gt, or, sql } from "drizzle-orm";
import { stockLevels } from "../../db/schema/inventory.ts";
import type { Queryable } from "../platform/db.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";

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

const encode = (available: number, sku: string) => btoa(JSON.stringify([available, sku])).replaceAll("=", "");

function decode(cursor: string): [number, string] {
  try {
    const v = JSON.parse(atob(cursor)) as unknown;
    if (Array.isArray(v) && typeof v[0] === "number" && typeof v[1] === "string") return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new ApiError(ErrorCode.VALIDATION_FAILED, "The cursor is not valid", {
    errors: [{ field: "query.cursor", message: "not a cursor of this list" }],
  });
}

export async function lowStockReport(
  db: Queryable,
  opts: { limit: number; cursor?: string; status?: "low_stock" | "out_of_stock" },
): Promise<{ items: LowStockRow[]; nextCursor: string | null }> {
  const after = opts.cursor ? decode(opts.cursor) : null;
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
  const page = rows.slice(0, opts.limit);
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
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > opts.limit && last ? encode(last.available, last.sku) : null };
}
