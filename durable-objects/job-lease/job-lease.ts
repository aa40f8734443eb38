/**
 * One JobLease object per job name is the single writer of that job's lease,
 * so two runs of a job can never overlap, across isolates and colos. The
 * object's input gate serialises acquire and release; storage is durable.
 */
import { DurableObject } from "cloudflare:workers";
import { type AcquireResult, acquire, type Lease, release } from "./lease.ts";

const KEY = "lease";

export class JobLease extends DurableObject {
  async acquire(holder: string, ttlMs: number): Promise<AcquireResult> {
    const current = await this.ctx.storage.get<Lease>(KEY);
    const result = acquire(current, holder, ttlMs, Date.now());
    if (result.acquired) await this.ctx.storage.put(KEY, result.lease);
    return result;
  }

  async release(holder: string): Promise<boolean> {
    const current = await this.ctx.storage.get<Lease>(KEY);
    const next = release(current, holder);
    if (next === current) return false;
    await this.ctx.storage.delete(KEY);
    return true;
  }

  async current(): Promise<Lease | null> {
    const lease = await this.ctx.storage.get<Lease>(KEY);
    return lease && lease.until > Date.now() ? lease : null;
  }

  /** Health probe: proves the Durable Object namespace answers and its storage works. */
  async ping(): Promise<{ ok: true; at: number }> {
    await this.ctx.storage.get(KEY);
    return { ok: true, at: Date.now() };
  }
}
