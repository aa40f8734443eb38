/** Every report the shop can run, by id: code-defined, listed at GET /api/reports/definitions. */
import { customersAndCohorts } from "./customers.ts";
import type { ReportDefinition } from "./definition.ts";
import { orderFulfilment } from "./fulfilment.ts";
import { orderLines } from "./order-lines.ts";
import { auditCompliance, reviewBacklog } from "./oversight.ts";
import { paymentOutcomes } from "./payments.ts";
import { dailySales, monthlyRevenue, weeklySales } from "./sales.ts";
import { stockReport } from "./stock.ts";
import { inventoryValuation } from "./valuation.ts";

export const DEFINITIONS: readonly ReportDefinition[] = [
  dailySales,
  weeklySales,
  monthlyRevenue,
  stockReport,
  customersAndCohorts,
  paymentOutcomes,
  orderLines,
  inventoryValuation,
  orderFulfilment,
  reviewBacklog,
  auditCompliance,
];

export const definitionById = (id: string) => DEFINITIONS.find((d) => d.id === id);
