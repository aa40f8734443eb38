/** GET /api/metrics: the registry and the outage watch as Prometheus text, for staff and scrapers. */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { requireRole } from "../platform/auth.ts";
import { type AppEnv, dbOf } from "../platform/context.ts";
import { pick } from "../platform/http-schemas.ts";
import { errorFields, log } from "../platform/log.ts";
import { type GaugeSample, renderPrometheus } from "../platform/metrics.ts";
import { validationHook } from "../platform/problem-response.ts";
import { circuitGauges } from "../platform/resilience/circuit-report.ts";
import { databaseWatchStatus, outageGauges } from "./outage.ts";
import { sloGauges } from "./slo-routes.ts";

const metrics = createRoute({
  method: "get",
  path: "/",
  tags: ["Operations"],
  summary: "Metrics in the Prometheus text format (staff)",
  description:
    "RED metrics per route, consumer group and job, problem answers by code, stale copies served, rate-limit refusals, the database outage watch, each provider's circuit (circuit_state), Durable Object calls, storage writes and alarm lag, business counters (orders, revenue, payment declines), and each SLO's state and burn rates (slo_breached, slo_burn_rate). Counters are this isolate's since it started; in production the same names are written to Workers Analytics Engine (docs/operability.md).",
  security: [{ bearer: [] }],
  middleware: [requireRole("admin", "support", "analyst")] as const,
  responses: {
    200: { description: "Prometheus text exposition format 0.0.4", content: { "text/plain": { schema: z.string() } } },
    ...pick(401, 403),
  },
});

export const metricsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(metrics, async (c) => {
  let gauges: GaugeSample[] = [];
  try {
    gauges = outageGauges(await databaseWatchStatus(c.env));
  } catch (err) {
    // The registry is still worth scraping when the watch cannot answer.
    log.warn("metrics.watch_unavailable", errorFields(err));
  }
  try {
    gauges = [...gauges, ...(await circuitGauges(c.env))];
  } catch (err) {
    log.warn("metrics.circuits_unavailable", errorFields(err));
  }
  try {
    gauges = [...gauges, ...(await sloGauges(dbOf(c)))];
  } catch (err) {
    // The registry is still worth scraping while the database is down.
    log.warn("metrics.slos_unavailable", errorFields(err));
  }
  c.header("cache-control", "no-store");
  return c.text(renderPrometheus(gauges), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
});
