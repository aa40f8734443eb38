/**
 * /api/analytics: business metrics over the facts the pipeline loads, for
 * the admin and analyst roles. Every report takes a period (`from`, `to`,
 * `granularity`) and, where money is involved, a currency: figures are
 * never converted between currencies.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { requireRole } from "../platform/auth.ts";
import { platformConfig } from "../platform/config.ts";
import { type AppContext, type AppEnv, dbOf } from "../platform/context.ts";
import { jsonContent, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { cohortReport } from "./queries/cohorts.ts";
import { customersReport } from "./queries/customers.ts";
import { funnelReport } from "./queries/funnel.ts";
import { inventoryReport } from "./queries/inventory.ts";
import { dayLabel } from "./queries/period.ts";
import { metricsJson, realtimeReport } from "./queries/realtime.ts";
import { salesReport } from "./queries/sales.ts";
import {
  CohortQuery,
  CohortResponse,
  CustomersQuery,
  CustomersResponse,
  echo,
  FunnelQuery,
  FunnelResponse,
  InventoryQuery,
  InventoryResponse,
  periodOf,
  RealtimeQuery,
  RealtimeResponse,
  SalesQuery,
  SalesResponse,
} from "./schemas.ts";

const security = [{ bearer: [] }];
const tags = ["Analytics"];
const problems = pick(401, 403, 422);

const salesRoute = createRoute({
  method: "get",
  path: "/sales",
  tags,
  security,
  summary: "Revenue, orders, average order value, units and refunds, by period, product, category, brand or region",
  description:
    "Confirmed orders of one currency, counted when confirmed. `totals` and the `period` and `region` rows use order totals and the refunds issued; `product`, `category` and `brand` rows use the lines' merchandise value (a refund names an order, not a line), so their refund columns are null.",
  request: { query: SalesQuery },
  responses: { 200: jsonContent(SalesResponse, "Sales"), ...problems },
});

const funnelRoute = createRoute({
  method: "get",
  path: "/funnel",
  tags,
  security,
  summary: "Product viewed, added to cart, checkout started, order confirmed: distinct shoppers per step and conversion rates",
  request: { query: FunnelQuery },
  responses: { 200: jsonContent(FunnelResponse, "The funnel, for the period and per bucket"), ...problems },
});

const cohortsRoute = createRoute({
  method: "get",
  path: "/cohorts",
  tags,
  security,
  summary: "Customers by sign-up week (or day, month), with the share that ordered in each following bucket",
  request: { query: CohortQuery },
  responses: { 200: jsonContent(CohortResponse, "The retention triangle"), ...problems },
});

const customersRoute = createRoute({
  method: "get",
  path: "/customers",
  tags,
  security,
  summary: "New versus returning customers and their revenue, and the top customers by revenue (pseudonymous ids)",
  request: { query: CustomersQuery },
  responses: { 200: jsonContent(CustomersResponse, "Customers"), ...problems },
});

const inventoryRoute = createRoute({
  method: "get",
  path: "/inventory",
  tags,
  security,
  summary: "Stock-outs and low-stock SKUs over time, the SKUs that ran out most, and those out or low now",
  request: { query: InventoryQuery },
  responses: { 200: jsonContent(InventoryResponse, "Stock over time"), ...problems },
});

const realtimeRoute = createRoute({
  method: "get",
  path: "/realtime",
  tags,
  security,
  summary: "A day's running totals (today by default), kept up to date by the pipeline as events arrive",
  request: { query: RealtimeQuery },
  responses: { 200: jsonContent(RealtimeResponse, "Running totals"), ...problems },
});

/** The shop's currency, for a report whose request names none. */
const shopCurrency = (c: AppContext) => platformConfig.read(c.env).SHOP_CURRENCY;

export const analyticsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
analyticsRoutes.use("*", requireRole("admin", "analyst"));
analyticsRoutes
  .openapi(salesRoute, async (c) => {
    const q = c.req.valid("query");
    const period = periodOf(q);
    const currency = q.currency ?? shopCurrency(c);
    const report = await salesReport(dbOf(c), period, currency, q.by, q.limit);
    return c.json({ period: echo(period), currency, by: q.by, ...report }, 200);
  })
  .openapi(funnelRoute, async (c) => {
    const q = c.req.valid("query");
    const period = periodOf(q);
    return c.json({ period: echo(period), currency: q.currency ?? null, ...(await funnelReport(dbOf(c), period, q.currency)) }, 200);
  })
  .openapi(cohortsRoute, async (c) => {
    const q = c.req.valid("query");
    const period = periodOf(q);
    const cohorts = await cohortReport(dbOf(c), period, q.periods, q.currency);
    return c.json({ period: echo(period), currency: q.currency ?? null, periods: q.periods, cohorts }, 200);
  })
  .openapi(customersRoute, async (c) => {
    const q = c.req.valid("query");
    const period = periodOf(q);
    const currency = q.currency ?? shopCurrency(c);
    return c.json({ period: echo(period), currency, ...(await customersReport(dbOf(c), period, currency, q.top)) }, 200);
  })
  .openapi(inventoryRoute, async (c) => {
    const q = c.req.valid("query");
    const period = periodOf(q);
    return c.json({ period: echo(period), ...(await inventoryReport(dbOf(c), period, q.limit)) }, 200);
  })
  .openapi(realtimeRoute, async (c) => {
    const q = c.req.valid("query");
    const report = await realtimeReport(dbOf(c), q.date ?? dayLabel(c.env.clock.now()), q.currency ?? shopCurrency(c));
    return c.json({ ...report, metrics: metricsJson(report.metrics) }, 200);
  });
