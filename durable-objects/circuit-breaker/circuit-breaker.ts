/**
 * One CircuitBreaker object per external dependency holds that
 * dependency's circuit for every isolate and location: isolates report
 * their calls' outcomes to it (in batches, in the background) and ask it
 * for admission only when their short-lived copy of its state says the
 * circuit is not closed, or has expired. The object runs one call at a
 * time, so a half-open circuit admits exactly one probe. The rules are the
 * platform's (workers/platform/resilience/breaker-rules.ts).
 */
import { DurableObject } from "cloudflare:workers";
import type { CloudflareEnv } from "../../workers/platform/cloudflare/runtime.ts";
import {
  admit,
  type BreakerPolicy,
  type BreakerRecord,
  closedRecord,
  coolDownLeft,
  recordOutcome,
} from "../../workers/platform/resilience/breaker-rules.ts";
import type { CircuitBoard, CircuitView, ReportedOutcome } from "../../workers/platform/resilience/circuit-board.ts";

const KEY = "circuit";
const INSTANCES = "instances";
/** A dependency's instances (issuers, providers) come from configuration: a few, never input. */
const MAX_INSTANCES = 100;

function viewOf(r: BreakerRecord, policy: BreakerPolicy, now: number, allowed = r.state === "closed", probe = false): CircuitView {
  const retryAfterMs = allowed ? 0 : r.state === "open" ? coolDownLeft(r, policy, now) : Math.max(0, (r.probeUntil ?? now) - now);
  return { state: r.state, allowed, probe, retryAfterMs, opens: r.opens };
}

/** Needs no binding of its own: its state is its storage. */
export class CircuitBreaker extends DurableObject<CloudflareEnv> implements CircuitBoard {
  private record: BreakerRecord | null = null;

  private async load(): Promise<BreakerRecord> {
    this.record ??= (await this.ctx.storage.get<BreakerRecord>(KEY)) ?? closedRecord(Date.now());
    return this.record;
  }

  private async save(next: BreakerRecord): Promise<void> {
    if (next === this.record) return;
    this.record = next;
    await this.ctx.storage.put(KEY, next);
  }

  async admit(policy: BreakerPolicy): Promise<CircuitView> {
    const now = Date.now();
    const decision = admit(await this.load(), policy, now);
    await this.save(decision.record);
    const view = viewOf(decision.record, policy, now, decision.allowed, decision.probe);
    return decision.allowed ? view : { ...view, retryAfterMs: decision.retryAfterMs };
  }

  async report(outcomes: ReportedOutcome[], policy: BreakerPolicy): Promise<CircuitView> {
    let r = await this.load();
    for (const o of outcomes) r = recordOutcome(r, policy, o.at, o.outcome, o.probe);
    await this.save(r);
    return viewOf(r, policy, Date.now());
  }

  async view(policy: BreakerPolicy): Promise<CircuitView> {
    return viewOf(await this.load(), policy, Date.now());
  }

  async noteInstance(instance: string): Promise<void> {
    const known = (await this.ctx.storage.get<string[]>(INSTANCES)) ?? [];
    if (known.includes(instance) || known.length >= MAX_INSTANCES) return;
    await this.ctx.storage.put(INSTANCES, [...known, instance]);
  }

  async instances(): Promise<string[]> {
    return (await this.ctx.storage.get<string[]>(INSTANCES)) ?? [];
  }

  /** Closes the circuit and forgets its counts (an operator's reset; tests). */
  async reset(): Promise<void> {
    await this.save({ ...closedRecord(Date.now()), opens: (await this.load()).opens });
  }
}
