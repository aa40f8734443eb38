/**
 * A dependency's circuit as an isolate sees it: the CircuitBreaker object
 * is the truth, and each isolate keeps its last answer for CIRCUIT_CACHE_MS,
 * so a call while the circuit is closed costs no object call, and one while
 * it is open is refused without one. Outcomes go to the object in the
 * background, batched while a report is in flight; a probe's outcome is
 * reported before the call returns, since it alone decides the circuit.
 * If the object cannot be reached, calls go ahead: the breaker must never
 * be the outage.
 */

import { platformConfig } from "../config.ts";
import { errorFields, log } from "../log.ts";
import type { Runtime } from "../runtime.ts";
import type { Outcome } from "./breaker-rules.ts";
import type { CircuitBoard, CircuitView, ReportedOutcome } from "./circuit-board.ts";
import { breakerPolicy } from "./config.ts";
import { CIRCUIT_BREAKER_BINDING, type DependencyName } from "./dependencies.ts";

/** A call refused without reaching the dependency, because its circuit is open (or its probe is out). */
export class CircuitOpen extends Error {
  override name = "CircuitOpen";
  constructor(
    readonly dependency: DependencyName,
    readonly retryAfterMs: number,
  ) {
    super(`the circuit of ${dependency} is open; retry in ${Math.ceil(retryAfterMs / 1000)} s`);
  }

  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.retryAfterMs / 1000));
  }
}

interface Cached {
  view: CircuitView;
  /** When the copy was taken and until when it is trusted. */
  at: number;
  until: number;
}

/** The isolate's copies and unsent outcomes; a test makes its own to play a second isolate. */
export class CircuitCache {
  readonly copies = new Map<DependencyName, Cached>();
  readonly unsent = new Map<DependencyName, ReportedOutcome[]>();
  readonly sending = new Set<DependencyName>();
}

const isolateCache = new CircuitCache();

export const circuitOf = (rt: Pick<Runtime, "objects">, dependency: DependencyName) =>
  rt.objects.get<CircuitBoard>(CIRCUIT_BREAKER_BINDING, dependency);

function keep(rt: Pick<Runtime, "vars">, cache: CircuitCache, dependency: DependencyName, view: CircuitView): void {
  const now = Date.now();
  cache.copies.set(dependency, { view, at: now, until: now + platformConfig.read(rt).CIRCUIT_CACHE_MS });
}

/** Admits a call or throws CircuitOpen; `probe` when it is the half-open circuit's one trial call. */
export async function admitCall(
  rt: Pick<Runtime, "vars" | "objects">,
  dependency: DependencyName,
  cache: CircuitCache = isolateCache,
): Promise<{ probe: boolean }> {
  const now = Date.now();
  const copy = cache.copies.get(dependency);
  if (copy && copy.until > now) {
    if (copy.view.state === "closed") return { probe: false };
    const openUntil = copy.at + copy.view.retryAfterMs;
    if (copy.view.state === "open" && openUntil > now) throw new CircuitOpen(dependency, openUntil - now);
  }
  let view: CircuitView;
  try {
    view = await circuitOf(rt, dependency).admit(breakerPolicy(rt));
  } catch (err) {
    log.warn("resilience.circuit_unreachable", { dependency, ...errorFields(err) });
    return { probe: false };
  }
  // An admitted probe's answer is its own: the next caller must ask the object again.
  if (!view.probe) keep(rt, cache, dependency, view);
  else cache.copies.delete(dependency);
  if (!view.allowed) throw new CircuitOpen(dependency, view.retryAfterMs);
  return { probe: view.probe };
}

/**
 * The circuit's refusal, if it is open now (from the isolate's copy, or the
 * object when the copy is stale), without admitting a call: a half-open
 * circuit is not refused here, its probe is for the call itself.
 */
export async function peekCircuit(
  rt: Pick<Runtime, "vars" | "objects">,
  dependency: DependencyName,
  cache: CircuitCache = isolateCache,
): Promise<CircuitOpen | null> {
  const now = Date.now();
  let copy = cache.copies.get(dependency);
  if (!copy || copy.until <= now) {
    try {
      keep(rt, cache, dependency, await circuitOf(rt, dependency).view(breakerPolicy(rt)));
    } catch (err) {
      log.warn("resilience.circuit_unreachable", { dependency, ...errorFields(err) });
      return null;
    }
    copy = cache.copies.get(dependency)!;
  }
  const openUntil = copy.at + copy.view.retryAfterMs;
  return copy.view.state === "open" && openUntil > now ? new CircuitOpen(dependency, openUntil - now) : null;
}

async function send(rt: Pick<Runtime, "vars" | "objects">, cache: CircuitCache, dependency: DependencyName): Promise<void> {
  cache.sending.add(dependency);
  try {
    for (;;) {
      const batch = cache.unsent.get(dependency) ?? [];
      if (batch.length === 0) return;
      cache.unsent.set(dependency, []);
      keep(rt, cache, dependency, await circuitOf(rt, dependency).report(batch, breakerPolicy(rt)));
    }
  } catch (err) {
    log.warn("resilience.report_failed", { dependency, ...errorFields(err) });
  } finally {
    cache.sending.delete(dependency);
  }
}

/** Tells the circuit how a call went: in the background, batched; a probe's outcome before returning. */
export async function reportCall(
  rt: Pick<Runtime, "vars" | "objects" | "waitUntil">,
  dependency: DependencyName,
  outcome: Outcome,
  probe: boolean,
  cache: CircuitCache = isolateCache,
): Promise<void> {
  const reported: ReportedOutcome = { outcome, probe, at: Date.now() };
  if (probe) {
    try {
      keep(rt, cache, dependency, await circuitOf(rt, dependency).report([reported], breakerPolicy(rt)));
    } catch (err) {
      log.warn("resilience.report_failed", { dependency, ...errorFields(err) });
    }
    return;
  }
  const unsent = cache.unsent.get(dependency) ?? [];
  unsent.push(reported);
  cache.unsent.set(dependency, unsent);
  if (!cache.sending.has(dependency)) rt.waitUntil(send(rt, cache, dependency));
}

/** Every dependency's circuit, from the objects (health and metrics; no admission). */
export async function circuitViews(
  rt: Pick<Runtime, "vars" | "objects">,
  dependencies: readonly DependencyName[],
): Promise<{ dependency: DependencyName; view: CircuitView }[]> {
  const policy = breakerPolicy(rt);
  return Promise.all(dependencies.map(async (dependency) => ({ dependency, view: await circuitOf(rt, dependency).view(policy) })));
}
