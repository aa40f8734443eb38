/**
 * Stock: the SKUs out of stock or low now, stock-outs and low-stock alerts
 * per day of the period, and the SKUs that ran out most often (the same
 * query as /api/analytics/inventory). No money: the facts hold no stock
 * values, so this is not a valuation.
 */
import { z } from "@hono/zod-openapi";
import { inventoryReport } from "../../analytics/index.ts";
import { sectionOf } from "../formats/report-model.ts";
import { defineReport } from "./definition.ts";
import { periodParams } from "./params.ts";

export const stockReport = defineReport({
  id: "stock",
  title: "Low stock and stock-outs",
  description:
    "The SKUs out of stock or below their threshold now, stock-outs and low-stock alerts per day, and the SKUs that ran out most.",
  access: ["admin", "analyst", "support"],
  span: "week",
  params: z.strictObject({
    ...periodParams,
    limit: z.number().int().min(1).max(200).default(50).openapi({ description: "Rows of SKUs that ran out most" }),
  }),
  async build(p, period, { db }) {
    const r = await inventoryReport(db, { ...period, granularity: "day" }, p.limit);
    return {
      currency: null,
      sections: [
        sectionOf(
          "Out of stock or low now",
          [
            { key: "sku", label: "SKU", type: "text" },
            { key: "product", label: "Product", type: "text" },
            { key: "status", label: "Status", type: "text" },
            { key: "available", label: "Available", type: "integer" },
            { key: "since", label: "Since", type: "text" },
          ],
          r.current.skus.map((s) => ({ sku: s.sku, product: s.productName, status: s.status, available: s.available, since: s.since })),
        ),
        sectionOf(
          "Per day",
          [
            { key: "day", label: "Day", type: "date" },
            { key: "stockOuts", label: "Stock-outs", type: "integer" },
            { key: "stockOutSkus", label: "SKUs out", type: "integer" },
            { key: "lowStockAlerts", label: "Low-stock alerts", type: "integer" },
            { key: "lowStockSkus", label: "SKUs low", type: "integer" },
          ],
          r.buckets.map((b) => ({ day: b.period, ...b })),
          { label: "day", value: "stockOuts", title: "Stock-outs per day" },
        ),
        sectionOf(
          "Ran out most",
          [
            { key: "sku", label: "SKU", type: "text" },
            { key: "product", label: "Product", type: "text" },
            { key: "stockOuts", label: "Stock-outs", type: "integer" },
            { key: "lowStockAlerts", label: "Low-stock alerts", type: "integer" },
            { key: "last", label: "Last stock-out", type: "text" },
          ],
          r.topStockOuts.map((s) => ({
            sku: s.sku,
            product: s.productName,
            stockOuts: s.stockOuts,
            lowStockAlerts: s.lowStockAlerts,
            last: s.lastStockOutAt,
          })),
        ),
      ],
    };
  },
});
