/**
 * The circuit breaker's rules, pure: a record in, a record out, the time
 * given. `closed` admits every call and counts outcomes in a window; it
 * opens after `failureThreshold` failures in a row, or when at least
 * `minCalls` calls in the window failed at `failureRatio` or more. `open`
 * refuses every call until `coolDownMs` has passed; then one call at a time
 * is let through as a probe (`half_open`): its success closes the circuit,
 * its failure opens it for another cool-down. A probe that never reports
 * (its isolate died) frees the slot after `probeLeaseMs`.
 */

export type CircuitState = "closed" | "open" | "half_open";

export interface BreakerPolicy {
  failureThreshold: number;
  failureRatio: number;
  minCalls: number;
  windowMs: number;
  coolDownMs: number;
  probeLeaseMs: number;
}

export interface BreakerRecord {
  state: CircuitState;
  windowStart: number;
  calls: number;
  failures: number;
  consecutiveFailures: number;
  /** When the circuit last opened (ms), or null while it never has. */
  openedAt: number | null;
  /** Until when the one probe of a half-open circuit holds its slot. */
  probeUntil: number | null;
  /** How many times the circuit opened: a figure for the operator. */
  opens: number;
}

export type Outcome = "success" | "failure";

export interface Admission {
  allowed: boolean;
  /** The admitted call is the half-open circuit's probe: its outcome decides. */
  probe: boolean;
  /** Milliseconds until a refused caller may try again. */
  retryAfterMs: number;
  record: BreakerRecord;
}

export const closedRecord = (now: number): BreakerRecord => ({
  state: "closed",
  windowStart: now,
  calls: 0,
  failures: 0,
  consecutiveFailures: 0,
  openedAt: null,
  probeUntil: null,
  opens: 0,
});

const reopened = (r: BreakerRecord, now: number): BreakerRecord => ({
  ...r,
  state: "open",
  openedAt: now,
  probeUntil: null,
  opens: r.state === "closed" ? r.opens + 1 : r.opens,
});

/** Milliseconds until an open circuit lets a probe through (0 when it may now). */
export function coolDownLeft(r: BreakerRecord, policy: BreakerPolicy, now: number): number {
  if (r.state !== "open" || r.openedAt === null) return 0;
  return Math.max(0, r.openedAt + policy.coolDownMs - now);
}

/** Whether a call may go to the dependency now; a half-open circuit admits one probe at a time. */
export function admit(r: BreakerRecord, policy: BreakerPolicy, now: number): Admission {
  if (r.state === "closed") return { allowed: true, probe: false, retryAfterMs: 0, record: r };
  if (r.state === "open") {
    const left = coolDownLeft(r, policy, now);
    if (left > 0) return { allowed: false, probe: false, retryAfterMs: left, record: r };
  } else if (r.probeUntil !== null && r.probeUntil > now) {
    return { allowed: false, probe: false, retryAfterMs: r.probeUntil - now, record: r };
  }
  return { allowed: true, probe: true, retryAfterMs: 0, record: { ...r, state: "half_open", probeUntil: now + policy.probeLeaseMs } };
}

/**
 * Counts one call's outcome. While open, late outcomes of calls admitted
 * before it opened change nothing; while half-open, the probe's decides.
 */
export function recordOutcome(r: BreakerRecord, policy: BreakerPolicy, now: number, outcome: Outcome, probe = false): BreakerRecord {
  if (r.state === "open") return r;
  if (r.state === "half_open") {
    if (!probe) return r;
    return outcome === "success" ? { ...closedRecord(now), opens: r.opens } : reopened(r, now);
  }
  const fresh = now - r.windowStart >= policy.windowMs;
  const base = fresh ? { ...r, windowStart: now, calls: 0, failures: 0 } : r;
  const next: BreakerRecord = {
    ...base,
    calls: base.calls + 1,
    failures: base.failures + (outcome === "failure" ? 1 : 0),
    consecutiveFailures: outcome === "failure" ? base.consecutiveFailures + 1 : 0,
  };
  const tooMany = next.consecutiveFailures >= policy.failureThreshold;
  const tooOften = next.calls >= policy.minCalls && next.failures / next.calls >= policy.failureRatio;
  return tooMany || tooOften ? reopened(next, now) : next;
}
