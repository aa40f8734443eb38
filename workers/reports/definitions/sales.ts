/**
 * Sales reports over the analytics facts (the same queries as
 * /api/analytics/sales): the daily summary, the weekly breakdown by day,
 * product, category, brand and region, and the monthly revenue with refunds
 * and net. Revenue counts confirmed orders when confirmed; refunds count when
 * issued.
 */
import { z } from "@hono/zod-openapi";
import { salesReport } from "../../analytics/index.ts";
import type { Column, Row } from "../formats/report-model.ts";
import { sectionOf } from "../formats/report-model.ts";
import { defineReport } from "./definition.ts";
import { currencyParam, periodParams } from "./params.ts";

type SalesReport = Awaited<ReturnType<typeof salesReport>>;
type SalesRow = SalesReport["rows"][number];

const figureColumns = (withRefunds: boolean): Column[] => [
  { key: "orders", label: "Orders", type: "integer" },
  { key: "units", label: "Units", type: "integer" },
  { key: "revenue", label: "Revenue", type: "money" },
  { key: "aov", label: "Average order", type: "money" },
  ...(withRefunds
    ? ([
        { key: "refunds", label: "Refunds", type: "integer" },
        { key: "refunded", label: "Refunded", type: "money" },
        { key: "net", label: "Net revenue", type: "money" },
      ] as Column[])
    : []),
];

const figures = (r: SalesRow | SalesReport["totals"]): Row => ({
  orders: r.orders,
  units: r.units,
  revenue: r.revenueMinor,
  aov: r.averageOrderValueMinor,
  refunds: r.refunds,
  refunded: r.refundedMinor,
  net: r.refundedMinor === null ? null : r.revenueMinor - r.refundedMinor,
});

const totalsSection = (t: SalesReport["totals"]) => sectionOf("Totals", figureColumns(true), [figures(t)]);

function rowsSection(title: string, keyLabel: string, rows: SalesRow[], withRefunds: boolean, keyType: "text" | "date" = "text") {
  const columns: Column[] = [{ key: "key", label: keyLabel, type: keyType }, ...figureColumns(withRefunds)];
  const chart = keyType === "date" ? { label: "key", value: "revenue", title: "Revenue per day" } : undefined;
  return sectionOf(
    title,
    columns,
    rows.map((r) => ({ key: r.label ?? r.key ?? "(unknown)", ...figures(r) })),
    chart,
  );
}

const limit = z.number().int().min(1).max(500).default(20).openapi({ description: "Rows per breakdown, by revenue" });

export const dailySales = defineReport({
  id: "sales-daily",
  title: "Daily sales summary",
  description: "One day's orders, units, revenue, refunds and net, with the day's sales by region and its top products.",
  access: ["admin", "analyst"],
  span: "day",
  params: z.strictObject({ ...periodParams, currency: currencyParam, limit }),
  async build(p, period, { db }) {
    const day = { ...period, granularity: "day" as const };
    const byRegion = await salesReport(db, day, p.currency, "region", p.limit);
    const byProduct = await salesReport(db, day, p.currency, "product", p.limit);
    return {
      currency: p.currency,
      sections: [
        totalsSection(byRegion.totals),
        rowsSection("By region", "Country", byRegion.rows, true),
        rowsSection("Top products", "Product", byProduct.rows, false),
      ],
    };
  },
});

export const weeklySales = defineReport({
  id: "sales-weekly",
  title: "Weekly sales",
  description: "A week's sales per day, and by product, category, brand and region (the shipping country).",
  access: ["admin", "analyst"],
  span: "week",
  params: z.strictObject({ ...periodParams, currency: currencyParam, limit }),
  async build(p, period, { db }) {
    const day = { ...period, granularity: "day" as const };
    const perDay = await salesReport(db, day, p.currency, "period", p.limit);
    const sections = [totalsSection(perDay.totals), rowsSection("Per day", "Day", perDay.rows, true, "date")];
    for (const [by, title, label] of [
      ["product", "By product", "Product"],
      ["category", "By category", "Category"],
      ["brand", "By brand", "Brand"],
      ["region", "By region", "Country"],
    ] as const) {
      const r = await salesReport(db, day, p.currency, by, p.limit);
      sections.push(rowsSection(title, label, r.rows, by === "region"));
    }
    return { currency: p.currency, sections };
  },
});

export const monthlyRevenue = defineReport({
  id: "revenue-monthly",
  title: "Monthly revenue, refunds and net",
  description: "A month's revenue, refunds issued and net revenue, in total and per day.",
  access: ["admin", "analyst"],
  span: "month",
  params: z.strictObject({ ...periodParams, currency: currencyParam }),
  async build(p, period, { db }) {
    const perDay = await salesReport(db, { ...period, granularity: "day" }, p.currency, "period", 1);
    return { currency: p.currency, sections: [totalsSection(perDay.totals), rowsSection("Per day", "Day", perDay.rows, true, "date")] };
  },
});
