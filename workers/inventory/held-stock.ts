/**
 * Stock held by live reservations, read from the stock projection: the SKUs
 * with units held, most held first (keyset-paginated), and the totals over
 * the same filter. The objects hold the holds themselves; the projection's
 * `reserved` is the sum of a SKU's live holds as its last event announced it.
 */
import { z } from "@hono/zod-openapi";
import { and, asc, count, desc, eq, gt, lt, or, type SQL, sql, sum } from "drizzle-orm";
import { stockLevels } from "../../db/schema/inventory.ts";
import { decodeCursor, keysetPage } from "../platform/cursor.ts";
import type { Queryable } from "../platform/db.ts";

export interface HeldStockRow {
  sku: string;
  reserved: number;
  onHand: number;
  available: number;
  updatedAt: string;
}

export interface HeldStockPage {
  totals: { skus: number; units: number };
  items: HeldStockRow[];
  nextCursor: string | null;
}

/** Most held first; the cursor's key is the last row's (reserved, sku). */
const HELD_SORT = "held-stock:reserved-desc";

export async function heldStock(db: Queryable, opts: { limit: number; cursor?: string; sku?: string }): Promise<HeldStockPage> {
  const after = opts.cursor ? decodeCursor(opts.cursor, HELD_SORT, [z.int32(), "string"]) : null;
  const filter: SQL | undefined = and(
    gt(stockLevels.reserved, 0),
    // A prefix of the SKU: the console's filter finds one SKU or a family of them (ELE-AUD-…).
    opts.sku ? sql`starts_with(${stockLevels.sku}, ${opts.sku})` : undefined,
  );
  const [rows, [totals]] = await Promise.all([
    db
      .select()
      .from(stockLevels)
      .where(
        and(
          filter,
          after
            ? or(lt(stockLevels.reserved, after[0]), and(eq(stockLevels.reserved, after[0]), gt(stockLevels.sku, after[1])))
            : undefined,
        ),
      )
      .orderBy(desc(stockLevels.reserved), asc(stockLevels.sku))
      .limit(opts.limit + 1),
    db
      .select({ skus: count(), units: sum(stockLevels.reserved) })
      .from(stockLevels)
      .where(filter),
  ]);
  const { page, nextCursor } = keysetPage(rows, opts.limit, HELD_SORT, (r) => [r.reserved, r.sku]);
  return {
    totals: { skus: Number(totals?.skus ?? 0), units: Number(totals?.units ?? 0) },
    items: page.map((r) => ({
      sku: r.sku,
      reserved: r.reserved,
      onHand: r.onHand,
      available: r.available,
      updatedAt: r.updatedAt.toISOString(),
    })),
    nextCursor,
  };
}
