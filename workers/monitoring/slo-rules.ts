/**
 * Multi-window burn rates, pure. A window's burn rate is its error ratio
 * over the error budget (1 − objective): 1 spends the budget exactly over
 * the budget period, 14.4 spends 2 % of a 30-day budget in an hour. An SLO
 * is breached when both the long window (is it significant?) and the short
 * one (is it still happening?) burn at the threshold or faster; it has
 * recovered when the short window no longer does. Counts are cumulative
 * (the registry's counters since its isolate started); a window's events
 * are the difference from the sample at its start.
 */
export interface Sample {
  at: number;
  good: number;
  total: number;
}

export interface Counts {
  good: number;
  total: number;
}

export interface BurnPolicy {
  longWindowMs: number;
  shortWindowMs: number;
  /** The burn rate both windows must reach for a breach. */
  burnRate: number;
}

/**
 * The events in the window ending at `current.at`: from the newest sample at
 * or before the window's start, or (with less history than the window) the
 * oldest one. Counts that went down mean the counters restarted (a new
 * isolate): everything counted since is the window's, as Prometheus's
 * `increase` treats a reset.
 */
export function windowCounts(current: Sample, history: readonly Sample[], windowMs: number): Counts {
  const start = current.at - windowMs;
  const earlier = history.filter((s) => s.at < current.at).sort((a, b) => a.at - b.at);
  const atStart = earlier.filter((s) => s.at <= start).at(-1);
  const base = atStart ?? earlier[0];
  if (!base) return { good: current.good, total: current.total };
  if (current.total < base.total || current.good < base.good) return { good: current.good, total: current.total };
  return { good: current.good - base.good, total: current.total - base.total };
}

/** The window's burn rate, or null when it holds no events. */
export function burnRate(counts: Counts, objective: number): number | null {
  if (counts.total <= 0) return null;
  const errorRatio = Math.max(0, counts.total - counts.good) / counts.total;
  return errorRatio / (1 - objective);
}

/**
 * The burn rate that counts as a breach: the policy's, but never above an
 * error ratio of 100 % (a loose objective could otherwise never breach).
 */
export function breachThreshold(policy: BurnPolicy, objective: number): number {
  return Math.min(policy.burnRate, 1 / (1 - objective));
}

export type SloStatus = "met" | "breached";

export interface Evaluation {
  status: SloStatus;
  longBurn: number | null;
  shortBurn: number | null;
  shortEvents: number;
  /** The status changed with this evaluation: one alert (a breach) or one recovery. */
  changed: boolean;
}

export function evaluate(
  previous: SloStatus,
  long: Counts,
  short: Counts,
  slo: { objective: number; minEvents: number },
  policy: BurnPolicy,
): Evaluation {
  const longBurn = burnRate(long, slo.objective);
  const shortBurn = burnRate(short, slo.objective);
  const threshold = breachThreshold(policy, slo.objective);
  let status: SloStatus = previous;
  if (previous === "met") {
    const burning = longBurn !== null && shortBurn !== null && longBurn >= threshold && shortBurn >= threshold;
    if (burning && short.total >= slo.minEvents) status = "breached";
  } else if (shortBurn !== null && shortBurn < threshold) {
    // A quiet short window (no events) is no evidence of recovery: the breach lasts until good events show it over.
    status = "met";
  }
  return { status, longBurn, shortBurn, shortEvents: short.total, changed: status !== previous };
}
