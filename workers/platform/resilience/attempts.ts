/**
 * Timeouts and retries of one dependency call. A retry is only for a call
 * the caller declares idempotent (a read, or a write the provider
 * deduplicates by the same key on every attempt): the back-off is "full
 * jitter", a random wait between 0 and a doubling cap, so callers that
 * failed together do not come back together.
 */

export class CallTimedOut extends Error {
  override name = "CallTimedOut";
}

/** Runs `fn` with a signal that aborts after `ms`; the answer is a CallTimedOut if it has not settled by then. */
export async function withTimeout<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new CallTimedOut(`no answer within ${ms} ms`);
      controller.abort(err);
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([fn(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The wait before retry number `attempt` (1 for the first retry): uniform in [0, min(capMs, baseMs · 2^(attempt-1))). */
export function jitteredDelayMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

export interface RetryPolicy {
  /** Attempts in all (1: no retry). */
  attempts: number;
  baseMs: number;
  capMs: number;
}

/**
 * Calls `attempt` until it succeeds, `retryable` says an error is final, or
 * the attempts are used up; `onFailure` hears every failed attempt.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: (n: number) => Promise<T>,
  retryable: (err: unknown) => boolean,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let n = 1; ; n += 1) {
    try {
      return await attempt(n);
    } catch (err) {
      if (n >= policy.attempts || !retryable(err)) throw err;
      await sleep(jitteredDelayMs(n, policy.baseMs, policy.capMs));
    }
  }
}
