/**
 * A fixed-window counter: the window opens with the first request and
 * admits `limit` requests until it closes. Pure, so the object only stores
 * what this returns; refusals are not counted (waiting for the reset is
 * always enough).
 */
export interface WindowCounter {
  windowStart: number;
  count: number;
}

export interface TakeResult {
  counter: WindowCounter;
  allowed: boolean;
  /** Requests still admitted in this window after this one. */
  remaining: number;
  /** Milliseconds until the window closes and the budget is whole again. */
  resetMs: number;
}

export function takeFromWindow(current: WindowCounter | undefined, now: number, limit: number, windowMs: number): TakeResult {
  const open = current && now < current.windowStart + windowMs ? current : { windowStart: now, count: 0 };
  const resetMs = open.windowStart + windowMs - now;
  if (open.count >= limit) return { counter: open, allowed: false, remaining: 0, resetMs };
  const counter = { windowStart: open.windowStart, count: open.count + 1 };
  return { counter, allowed: true, remaining: limit - counter.count, resetMs };
}
