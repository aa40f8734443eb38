/**
 * One RateLimiter object per caller and route class counts that caller's
 * requests exactly: the object runs one call at a time and keeps its counter
 * in durable storage, so racing requests from any isolate or location are
 * admitted up to the budget and no further. An alarm forgets the counter
 * once its window has closed, so idle callers cost nothing.
 */
import { DurableObject } from "cloudflare:workers";
import type { CloudflareEnv } from "../../workers/platform/cloudflare/runtime.ts";
import { takeFromWindow, type WindowCounter } from "./window-counter.ts";

const KEY = "window";

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetMs: number;
}

/** Needs no binding of its own: its state is its storage. */
export class RateLimiter extends DurableObject<CloudflareEnv> {
  /** Counts one request against `limit` per `windowMs`, or refuses it without counting. */
  async take(limit: number, windowMs: number): Promise<RateDecision> {
    const now = Date.now();
    const stored = await this.ctx.storage.get<WindowCounter>(KEY);
    const result = takeFromWindow(stored, now, limit, windowMs);
    if (result.allowed) {
      await this.ctx.storage.put(KEY, result.counter);
      if (!stored || stored.windowStart !== result.counter.windowStart) await this.ctx.storage.setAlarm(now + result.resetMs);
    }
    return { allowed: result.allowed, limit, remaining: result.remaining, resetMs: result.resetMs };
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
