/**
 * Customers: new versus returning customers and their revenue, the top
 * customers by revenue, and sign-up cohorts with the share that ordered in
 * each following week (the analytics queries). Customers appear only by
 * their pseudonymous key: the facts hold no names or addresses.
 */
import { z } from "@hono/zod-openapi";
import { cohortReport, customersReport } from "../../analytics/index.ts";
import { type Column, sectionOf } from "../formats/report-model.ts";
import { defineReport } from "./definition.ts";
import { currencyParam, periodParams } from "./params.ts";

export const customersAndCohorts = defineReport({
  id: "customers",
  title: "Customers, top customers and cohorts",
  description: "New and returning customers with their revenue, the top customers (pseudonymous keys), and weekly sign-up cohorts.",
  access: ["admin", "analyst"],
  span: "month",
  params: z.strictObject({
    ...periodParams,
    currency: currencyParam,
    top: z.number().int().min(1).max(100).default(20),
    weeks: z.number().int().min(1).max(12).default(4).openapi({ description: "Weeks after sign-up shown per cohort" }),
  }),
  async build(p, period, { db }) {
    const c = await customersReport(db, { ...period, granularity: "week" }, p.currency, p.top);
    const cohorts = await cohortReport(db, { ...period, granularity: "week" }, p.weeks, p.currency);
    const weekColumns: Column[] = Array.from({ length: p.weeks + 1 }, (_, k) => ({ key: `w${k}`, label: `Week ${k}`, type: "rate" }));
    return {
      currency: p.currency,
      sections: [
        sectionOf(
          "New and returning",
          [
            { key: "newCustomers", label: "New customers", type: "integer" },
            { key: "returningCustomers", label: "Returning customers", type: "integer" },
            { key: "newRevenueMinor", label: "New customers' revenue", type: "money" },
            { key: "returningRevenueMinor", label: "Returning customers' revenue", type: "money" },
          ],
          [{ ...c.totals }],
        ),
        sectionOf(
          "Top customers",
          [
            { key: "customerKey", label: "Customer (pseudonym)", type: "text" },
            { key: "orders", label: "Orders", type: "integer" },
            { key: "revenueMinor", label: "Revenue", type: "money" },
            { key: "firstOrderAt", label: "First order", type: "text" },
            { key: "lastOrderAt", label: "Last order", type: "text" },
          ],
          c.top.map((t) => ({ ...t })),
        ),
        sectionOf(
          "Sign-up cohorts",
          [{ key: "cohort", label: "Cohort (week)", type: "date" }, { key: "size", label: "Customers", type: "integer" }, ...weekColumns],
          cohorts.map((h) => ({
            cohort: h.cohort,
            size: h.size,
            ...Object.fromEntries(h.retention.map((r, k) => [`w${k}`, r?.share ?? null])),
          })),
        ),
      ],
    };
  },
});
