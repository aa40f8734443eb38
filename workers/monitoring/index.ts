/**
 * Monitoring: the gateway's rate limits per route class, the metrics
 * endpoint (Prometheus text at /api/metrics), and the database outage watch
 * that raises one alert per outage and one recovery, and the declared SLOs,
 * evaluated every minute by burn rate over the counts every isolate flushes
 * to the fleet's table, alerting the ops channel on a breach
 * and its recovery (docs/operability.md).
 */
import { defineFamily } from "../platform/family.ts";
import { businessCounters } from "./business-metrics.ts";
import { monitoringConfig } from "./config.ts";
import { MonitoringErrors } from "./errors.ts";
import { injectRequestFaults } from "./fault-header.ts";
import { outageReporter } from "./outage.ts";
import { rateLimit } from "./rate-limit.ts";
import { metricsRoutes } from "./routes.ts";
import { sloCountsFlush } from "./slo-flush.ts";
import { sloEvaluation } from "./slo-job.ts";
import { sloRoutes } from "./slo-routes.ts";

export const monitoring = defineFamily({
  name: "monitoring",
  routes: { "/api/metrics": metricsRoutes, "/api/slos": sloRoutes },
  jobs: [sloEvaluation],
  handlers: { pipeline: businessCounters },
  config: monitoringConfig,
  errors: MonitoringErrors,
  // Faults after the limits: an injected failure is still a counted, limited request.
  gatewayMiddleware: [sloCountsFlush, outageReporter, rateLimit, injectRequestFaults],
});

export { CircuitBreaker } from "../../durable-objects/circuit-breaker/index.ts";
export { OutageWatch } from "../../durable-objects/outage-watch/index.ts";
export { RateLimiter } from "../../durable-objects/rate-limiter/index.ts";
export { reportDatabaseUnavailable } from "./outage.ts";
export { flushSloCountsSoon } from "./slo-flush.ts";
export { breachedHealthSlos } from "./slo-routes.ts";
