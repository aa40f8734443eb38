/**
 * Database outages as the gateway sees them: a request that met the
 * database unavailable (a 503 DATABASE_UNAVAILABLE, or a stale copy served
 * in its place) reports it to the database's OutageWatch object, which
 * raises one alert per outage and one recovery (durable-objects/outage-watch).
 * Reports are cheap and idempotent; an isolate sends at most one a second.
 */
import { createMiddleware } from "hono/factory";
import type { OutageWatch, WatchSettings, WatchStatus } from "../../durable-objects/outage-watch/index.ts";
import type { AppEnv } from "../platform/context.ts";
import { isDatabaseUnavailable } from "../platform/db-errors.ts";
import { errorFields, log } from "../platform/log.ts";
import type { GaugeSample } from "../platform/metrics.ts";
import type { Runtime } from "../platform/runtime.ts";
import { monitoringConfig } from "./config.ts";

const DEPENDENCY = "database";
const REPORT_EVERY_MS = 1000;
let lastReport = 0;

const watchOf = (rt: Pick<Runtime, "objects">) => rt.objects.get<OutageWatch>("OUTAGE_WATCH", DEPENDENCY);

function settingsOf(rt: Pick<Runtime, "vars">): WatchSettings {
  const s = monitoringConfig.read(rt);
  return {
    dependency: DEPENDENCY,
    probeMs: Math.round(s.OUTAGE_PROBE_SECONDS * 1000),
    recoveryProbes: s.OUTAGE_RECOVERY_PROBES,
    webhookUrl: s.OPS_ALERT_WEBHOOK_URL ?? null,
  };
}

/** Tells the database's watch that it failed (in the background; at most once a second per isolate). */
export function reportDatabaseUnavailable(rt: Runtime, detail: string): void {
  const now = Date.now();
  if (now - lastReport < REPORT_EVERY_MS) return;
  lastReport = now;
  rt.waitUntil(
    watchOf(rt)
      .report(detail, settingsOf(rt))
      .catch((err) => log.warn("outage.report_failed", errorFields(err))),
  );
}

/** After each request: did it meet the database unavailable? */
export const outageReporter = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.error && isDatabaseUnavailable(c.error)) {
    reportDatabaseUnavailable(c.env, c.error instanceof Error ? c.error.message : String(c.error));
  } else if (c.res.headers.get("x-cache") === "STALE") {
    reportDatabaseUnavailable(c.env, `stale copy served for ${c.req.path}`);
  }
});

export function databaseWatchStatus(rt: Pick<Runtime, "objects">): Promise<WatchStatus> {
  return watchOf(rt).status();
}

/** The watch's state as scrape-time gauges: is the shop degraded now, how often and how long it has been. */
export function outageGauges(s: WatchStatus): GaugeSample[] {
  const labels = { dependency: DEPENDENCY };
  return [
    {
      name: "dependency_down",
      help: "1 while the dependency is down and the shop runs degraded",
      value: s.status === "down" ? 1 : 0,
      labels,
    },
    { name: "dependency_outages", help: "Outages of the dependency seen since the watch began", value: s.outages, labels },
    {
      name: "dependency_down_seconds",
      help: "Seconds spent degraded by the dependency's outages, the current one included",
      value: s.downSecondsTotal,
      labels,
    },
    { name: "alerts_delivered", help: "Outage and recovery alerts delivered to the ops channel", value: s.alertsDelivered, labels },
    { name: "alerts_pending", help: "Alerts raised and not yet delivered", value: s.pendingAlerts, labels },
  ];
}
