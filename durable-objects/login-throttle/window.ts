/**
 * The sliding window behind sign-in throttling, as pure functions. Every
 * attempt is counted as a failure when it starts and forgiven when it
 * succeeds, so attempts that race each other cannot slip past the limit
 * while their passwords are still being checked.
 */
export interface Attempt {
  id: string;
  at: number;
}

export interface WindowPolicy {
  /** Attempts allowed inside one window. */
  limit: number;
  windowMs: number;
}

export type AttemptResult = { allowed: true; attempts: Attempt[] } | { allowed: false; attempts: Attempt[]; retryAfterMs: number };

/** Drops attempts older than the window. */
export function prune(attempts: readonly Attempt[], now: number, windowMs: number): Attempt[] {
  return attempts.filter((a) => a.at > now - windowMs);
}

/** Counts attempt `id` if the window has room for it. */
export function tryAttempt(attempts: readonly Attempt[], id: string, now: number, policy: WindowPolicy): AttemptResult {
  const live = prune(attempts, now, policy.windowMs);
  if (live.length >= policy.limit) {
    // Room opens when the oldest attempt that keeps the count at the limit leaves the window.
    const sorted = live.map((a) => a.at).sort((a, b) => a - b);
    const freesAt = sorted[live.length - policy.limit]! + policy.windowMs;
    return { allowed: false, attempts: live, retryAfterMs: Math.max(1, freesAt - now) };
  }
  return { allowed: true, attempts: [...live, { id, at: now }] };
}

/** Forgives one attempt (it succeeded, or another check refused the request before it was tried). */
export function forgive(attempts: readonly Attempt[], id: string): Attempt[] {
  return attempts.filter((a) => a.id !== id);
}
