/**
 * Each SLO's indicator from the recorded metrics: cumulative good and total
 * events, summed over the series of the metric it reads (by route class for
 * the request SLOs, classified like the rate limits). The metrics are found
 * by name in the registry, so this module imports none of their owners.
 */
import { type Counter, type Histogram, registeredMetric } from "../platform/metrics.ts";
import { routeClassOf } from "./rate-limit-budgets.ts";
import type { Counts } from "./slo-rules.ts";
import { BACKUP_DRILL_JOB, type Indicator } from "./slo-table.ts";

const counterNamed = (name: string) => {
  const m = registeredMetric(name);
  return m && "value" in m ? (m as Counter) : undefined;
};
const histogramNamed = (name: string) => {
  const m = registeredMetric(name);
  return m && "observe" in m ? (m as Histogram) : undefined;
};

const NONE: Counts = { good: 0, total: 0 };

/** The outcomes of a queue message that end it: processed, or dead-lettered (retries and duplicates are neither). */
const SETTLED = new Set(["processed", "dead_lettered"]);

export function indicatorCounts(indicator: Indicator): Counts {
  switch (indicator.kind) {
    case "availability": {
      const requests = counterNamed("http_requests_total");
      if (!requests) return NONE;
      let good = 0;
      let total = 0;
      for (const { labels, value } of requests.entries()) {
        if (routeClassOf(labels.method ?? "GET", labels.route ?? "") !== indicator.routeClass) continue;
        total += value;
        if (Number(labels.status) < 500) good += value;
      }
      return { good, total };
    }
    case "latency": {
      const durations = histogramNamed("http_request_duration_seconds");
      if (!durations) return NONE;
      let good = 0;
      let total = 0;
      for (const s of durations.entries(indicator.seconds)) {
        if (routeClassOf(s.labels.method ?? "GET", s.labels.route ?? "") !== indicator.routeClass) continue;
        total += s.count;
        good += s.atMost;
      }
      return { good, total };
    }
    case "consumer_lag": {
      const lag = histogramNamed("consumer_lag_seconds");
      if (!lag) return NONE;
      return lag.entries(indicator.seconds).reduce((acc, s) => ({ good: acc.good + s.atMost, total: acc.total + s.count }), NONE);
    }
    case "consumer_delivery": {
      const messages = counterNamed("consumer_messages_total");
      if (!messages) return NONE;
      let good = 0;
      let total = 0;
      for (const { labels, value } of messages.entries()) {
        if (!SETTLED.has(labels.outcome ?? "")) continue;
        total += value;
        if (labels.outcome === "processed") good += value;
      }
      return { good, total };
    }
    case "job_success":
    case "backup_drill": {
      const runs = counterNamed("job_runs_total");
      if (!runs) return NONE;
      let good = 0;
      let total = 0;
      for (const { labels, value } of runs.entries()) {
        const isDrill = labels.job === BACKUP_DRILL_JOB;
        if (isDrill !== (indicator.kind === "backup_drill")) continue;
        if (labels.outcome !== "succeeded" && labels.outcome !== "failed") continue;
        total += value;
        if (labels.outcome === "succeeded") good += value;
      }
      return { good, total };
    }
  }
}
