/**
 * The declared service level objectives, in one table: what is measured
 * (the indicator, read from the metrics registry), the objective (the share
 * of good events over a 30-day budget), and whether a breach degrades
 * `/api/health`. The `slo-evaluation` job checks each one with multi-window
 * burn rates (slo-rules.ts) and alerts the ops channel on a breach and on
 * its recovery (docs/operability.md).
 */
import { ROUTE_CLASSES, type RouteClass } from "./rate-limit-budgets.ts";

export type Indicator =
  /** Requests of a route class answered without a 5xx. */
  | { kind: "availability"; routeClass: RouteClass }
  /** Requests of a route class answered within `seconds` (a bucket bound of http_request_duration_seconds). */
  | { kind: "latency"; routeClass: RouteClass; seconds: number }
  /** Events processed within `seconds` of their occurrence (a bucket bound of consumer_lag_seconds). */
  | { kind: "consumer_lag"; seconds: number }
  /** Queue messages processed rather than dead-lettered: a growing dead-letter queue burns this one. */
  | { kind: "consumer_delivery" }
  /** Job runs that succeeded, every job but the restore drill. */
  | { kind: "job_success" }
  /** Restore drills that succeeded. */
  | { kind: "backup_drill" };

export interface Slo {
  name: string;
  description: string;
  indicator: Indicator;
  /** The share of good events the objective promises (0.999: an error budget of 0.1 %). */
  objective: number;
  /** Fewer events than this in the short window say nothing (a quiet hour is no breach). */
  minEvents: number;
  /** A breach makes /api/health answer degraded (the queue path is behind or losing events). */
  degradesHealth: boolean;
}

/** The restore drill's job name (workers/backups/jobs.ts): its runs are their own SLO. */
export const BACKUP_DRILL_JOB = "backup-drill";

const AVAILABILITY: Record<RouteClass, number> = {
  browse: 0.999,
  search: 0.995,
  cart: 0.999,
  checkout: 0.999,
  auth: 0.999,
  admin: 0.99,
};

/** Seconds within which 99 % of a class's requests answer (bucket bounds of the request histogram). */
const LATENCY_SECONDS: Record<RouteClass, number> = { browse: 0.5, search: 1, cart: 0.5, checkout: 2.5, auth: 1, admin: 2.5 };

export const SLOS: readonly Slo[] = [
  ...ROUTE_CLASSES.flatMap((routeClass): Slo[] => [
    {
      name: `${routeClass}-availability`,
      description: `${AVAILABILITY[routeClass] * 100} % of ${routeClass} requests answer without a server error`,
      indicator: { kind: "availability", routeClass },
      objective: AVAILABILITY[routeClass],
      minEvents: 10,
      degradesHealth: false,
    },
    {
      name: `${routeClass}-latency`,
      description: `99 % of ${routeClass} requests answer within ${LATENCY_SECONDS[routeClass]} s`,
      indicator: { kind: "latency", routeClass, seconds: LATENCY_SECONDS[routeClass] },
      objective: 0.99,
      minEvents: 10,
      degradesHealth: false,
    },
  ]),
  {
    name: "consumer-lag",
    description: "99 % of events are processed within 60 s of their occurrence",
    indicator: { kind: "consumer_lag", seconds: 60 },
    objective: 0.99,
    minEvents: 10,
    degradesHealth: true,
  },
  {
    name: "consumer-delivery",
    description: "99.9 % of queue messages are processed, not dead-lettered",
    indicator: { kind: "consumer_delivery" },
    objective: 0.999,
    minEvents: 1,
    degradesHealth: true,
  },
  {
    name: "job-success",
    description: "99 % of scheduled job runs succeed",
    indicator: { kind: "job_success" },
    objective: 0.99,
    minEvents: 1,
    degradesHealth: false,
  },
  {
    name: "backup-drill-success",
    description: "Every restore drill succeeds",
    indicator: { kind: "backup_drill" },
    objective: 0.99,
    minEvents: 1,
    degradesHealth: false,
  },
];
