/**
 * One LoginThrottle object per throttled key (an account, or a client
 * address, per action) holds that key's recent attempts. The object's input
 * gate runs one call at a time and its storage is durable, so the counters
 * are strongly consistent across isolates and colos. An alarm clears the
 * storage once the window has passed, so idle keys cost nothing.
 */
import { DurableObject } from "cloudflare:workers";
import type { CloudflareEnv } from "../../workers/platform/cloudflare/runtime.ts";
import { type Attempt, forgive, prune, tryAttempt, type WindowPolicy } from "./window.ts";

const KEY = "attempts";

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Needs no binding of its own: its state is its storage. */
export class LoginThrottle extends DurableObject<CloudflareEnv> {
  /** Counts attempt `id` if the window has room; the caller forgives it on success. */
  async attempt(id: string, policy: WindowPolicy): Promise<ThrottleDecision> {
    const now = Date.now();
    const result = tryAttempt((await this.ctx.storage.get<Attempt[]>(KEY)) ?? [], id, now, policy);
    await this.save(result.attempts, policy.windowMs);
    return result.allowed ? { allowed: true } : { allowed: false, retryAfterMs: result.retryAfterMs };
  }

  /** Forgives one attempt. */
  async forgive(id: string): Promise<void> {
    const attempts = (await this.ctx.storage.get<Attempt[]>(KEY)) ?? [];
    await this.save(forgive(attempts, id), null);
  }

  /** Forgets every attempt: a successful sign-in clears its account's failures. */
  async reset(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  async count(windowMs: number): Promise<number> {
    return prune((await this.ctx.storage.get<Attempt[]>(KEY)) ?? [], Date.now(), windowMs).length;
  }

  override async alarm(): Promise<void> {
    const attempts = (await this.ctx.storage.get<Attempt[]>(KEY)) ?? [];
    const newest = Math.max(0, ...attempts.map((a) => a.at));
    const windowMs = (await this.ctx.storage.get<number>("windowMs")) ?? 0;
    if (newest + windowMs <= Date.now()) await this.ctx.storage.deleteAll();
    else await this.ctx.storage.setAlarm(newest + windowMs);
  }

  private async save(attempts: Attempt[], windowMs: number | null): Promise<void> {
    if (attempts.length === 0) {
      await this.ctx.storage.deleteAll();
      return;
    }
    await this.ctx.storage.put(KEY, attempts);
    if (windowMs !== null) {
      await this.ctx.storage.put("windowMs", windowMs);
      await this.ctx.storage.setAlarm(Math.max(...attempts.map((a) => a.at)) + windowMs);
    }
  }
}
