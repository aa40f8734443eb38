/**
 * Monitoring: the gateway's rate limits per route class, the metrics
 * endpoint (Prometheus text at /api/metrics), and the database outage watch
 * that raises one alert per outage and one recovery (docs/operability.md).
 */
import { defineFamily } from "../platform/family.ts";
import { monitoringConfig } from "./config.ts";
import { outageReporter } from "./outage.ts";
import { rateLimit } from "./rate-limit.ts";
import { metricsRoutes } from "./routes.ts";

export const monitoring = defineFamily({
  name: "monitoring",
  routes: { "/api/metrics": metricsRoutes },
  config: monitoringConfig,
  gatewayMiddleware: [outageReporter, rateLimit],
});

export { CircuitBreaker } from "../../durable-objects/circuit-breaker/index.ts";
export { OutageWatch } from "../../durable-objects/outage-watch/index.ts";
export { RateLimiter } from "../../durable-objects/rate-limiter/index.ts";
export { reportDatabaseUnavailable } from "./outage.ts";
