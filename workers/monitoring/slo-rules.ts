/**
 * Multi-window burn rates, pure. A window's burn rate is its error ratio
 * over the error budget (1 − objective): 1 spends the budget exactly over
 * the budget period, 14.4 spends 2 % of a 30-day budget in an hour. An SLO
 * is breached when both the long window (is it significant?) and the short
 * one (is it still happening?) burn at the threshold or faster; it has
 * recovered when the short window no longer does. A window's counts are
 * the fleet's: what every isolate flushed inside it (slo-flush.ts).
 */
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
