/**
 * Each request's RED observation: the registry's counter and histogram
 * (Prometheus text at /api/metrics) and, where the runtime has a metrics
 * store, one Analytics Engine data point with the same names. REQUEST_METRICS=off
 * turns both off (the benchmark's baseline).
 */
import { platformConfig } from "./config.ts";
import { httpRequestDuration, httpRequestsTotal, METRICS_DATASET } from "./metrics.ts";
import type { Runtime } from "./runtime.ts";

export function recordRequest(rt: Runtime, method: string, route: string, status: number, durationMs: number): void {
  let enabled = true;
  try {
    enabled = platformConfig.read(rt).REQUEST_METRICS === "on";
  } catch {
    // A broken configuration is answered elsewhere; the request is still counted.
  }
  if (!enabled) return;
  // Hono names an unmatched request's route "/*": one series for every path no family serves.
  const template = route === "/*" ? "unmatched" : route;
  httpRequestsTotal.inc({ route: template, method, status: String(status) });
  httpRequestDuration.observe({ route: template, method }, durationMs / 1000);
  rt.operability?.metricsDataset(METRICS_DATASET)?.writeDataPoint({
    indexes: [template],
    blobs: ["http_request", template, method, String(status)],
    doubles: [durationMs, status >= 500 ? 1 : 0],
  });
}
