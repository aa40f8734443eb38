/**
 * Parent-based sampling: a trace's sampled flag is decided once, where the
 * trace starts, and every later hop (the gateway behind a traced client, a
 * queue consumer behind a traced request) honours it. A trace with no
 * decision yet is kept with probability `rate`, derived from its trace id so
 * that any two places deciding the same trace agree.
 */

/** The W3C trace-flags byte's sampled bit. */
export function sampledFlag(flags: string): boolean {
  return (Number.parseInt(flags, 16) & 1) === 1;
}

/** The lowest 56 bits of a trace id as a fraction of 2^56: uniform for random ids. */
function traceIdFraction(traceId: string): number {
  return Number.parseInt(traceId.slice(-14), 16) / 2 ** 56;
}

/**
 * Whether a trace is recorded. `parentFlags`: the flags of an incoming
 * traceparent (null when the trace starts here).
 */
export function shouldSample(traceId: string, parentFlags: string | null, rate: number): boolean {
  if (parentFlags !== null) return sampledFlag(parentFlags);
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  return traceIdFraction(traceId) < rate;
}
