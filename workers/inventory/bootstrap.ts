/**
 * Opens the Inventory object of every SKU whose projection row no object has
 * confirmed yet (version 0: the demo seed writes starting stock only to
 * Postgres). An object that was never initialised takes the row as its
 * opening balance; one that already has stock keeps it and re-announces its
 * level, so the row catches up instead. Running it again changes nothing.
 */
import { and, asc, eq, gt } from "drizzle-orm";
import { stockLevels } from "../../db/schema/inventory.ts";
import type { Database } from "../platform/db.ts";
import type { Job } from "../platform/job.ts";
import type { Runtime } from "../platform/runtime.ts";
import { stockObject } from "./service.ts";

const PAGE = 200;
const CONCURRENCY = 16;

export interface BootstrapResult {
  opened: number;
  announced: number;
  [k: string]: unknown;
}

export async function bootstrapFromProjection(rt: Runtime, db: Database, correlationId: string): Promise<BootstrapResult> {
  const result: BootstrapResult = { opened: 0, announced: 0 };
  let after = "";
  for (;;) {
    const rows = await db
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.version, 0), gt(stockLevels.sku, after)))
      .orderBy(asc(stockLevels.sku))
      .limit(PAGE);
    for (let i = 0; i < rows.length; i += CONCURRENCY) {
      const outcomes = await Promise.all(
        rows.slice(i, i + CONCURRENCY).map((r) =>
          stockObject(rt, r.sku).openBalance({
            sku: r.sku,
            operationId: `bootstrap:${r.sku}:${correlationId}`,
            onHand: r.onHand,
            settings: { lowStockThreshold: r.lowStockThreshold, reorderPoint: r.reorderPoint, reorderQuantity: r.reorderQuantity },
            actor: { type: "system", id: "inventory-bootstrap" },
            reason: "opening balance from the stock projection",
            correlationId,
          }),
        ),
      );
      for (const o of outcomes) o.ok ? result.opened++ : result.announced++;
    }
    if (rows.length < PAGE) return result;
    after = rows[rows.length - 1]!.sku;
  }
}

export const inventoryBootstrap: Job = {
  name: "inventory-bootstrap",
  description: "Open the stock object of every SKU the projection knows but no object has confirmed (demo seed), from its projected level",
  crons: ["* * * * *"],
  timeoutMs: 5 * 60_000,
  announceSuccess: false,
  run: ({ rt, db, runId }) => bootstrapFromProjection(rt, db, runId),
};
