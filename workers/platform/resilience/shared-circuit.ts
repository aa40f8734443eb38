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
import { CIRCUIT_BREAKER_BINDING, type CircuitRef, circuitKey, type DependencyName } from "./dependencies.ts";

/** A dependency's own circuit, or an instance's. */
type Circuit = DependencyName | CircuitRef;
const refOf = (c: Circuit): CircuitRef => (typeof c === "string" ? { dependency: c } : c);

/** A call refused without reaching the dependency, because its circuit is open (or its probe is out). */
export class CircuitOpen extends Error {
  override name = "CircuitOpen";
  readonly dependency: DependencyName;
  readonly instance: string | undefined;
  constructor(
    circuit: Circuit,
    readonly retryAfterMs: number,
  ) {
    const ref = refOf(circuit);
    super(
      `the circuit of ${ref.dependency}${ref.instance ? ` (${ref.instance})` : ""} is open; retry in ${Math.ceil(retryAfterMs / 1000)} s`,
    );
    this.dependency = ref.dependency;
    this.instance = ref.instance;
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
  readonly copies = new Map<string, Cached>();
  readonly unsent = new Map<string, ReportedOutcome[]>();
  readonly sending = new Set<string>();
  /** Instances this isolate has told their dependency's object about. */
  readonly noted = new Set<string>();
}

const isolateCache = new CircuitCache();

export const circuitOf = (rt: Pick<Runtime, "objects">, circuit: Circuit) =>
  rt.objects.get<CircuitBoard>(CIRCUIT_BREAKER_BINDING, circuitKey(refOf(circuit)));

function keep(rt: Pick<Runtime, "vars">, cache: CircuitCache, key: string, view: CircuitView): void {
  const now = Date.now();
  cache.copies.set(key, { view, at: now, until: now + platformConfig.read(rt).CIRCUIT_CACHE_MS });
}

/**
 * Tells the dependency's object, once per isolate, that an instance's
 * circuit exists (in the background), so health and metrics list it.
 */
export function noteInstance(rt: Pick<Runtime, "objects" | "waitUntil">, circuit: Circuit, cache: CircuitCache = isolateCache): void {
  const ref = refOf(circuit);
  if (!ref.instance) return;
  const key = circuitKey(ref);
  if (cache.noted.has(key)) return;
  cache.noted.add(key);
  rt.waitUntil(
    circuitOf(rt, ref.dependency)
      .noteInstance(key.slice(ref.dependency.length + 1))
      .catch((err) => {
        cache.noted.delete(key);
        log.warn("resilience.note_failed", { dependency: ref.dependency, ...errorFields(err) });
      }),
  );
}

/** Admits a call or throws CircuitOpen; `probe` when it is the half-open circuit's one trial call. */
export async function admitCall(
  rt: Pick<Runtime, "vars" | "objects">,
  circuit: Circuit,
  cache: CircuitCache = isolateCache,
): Promise<{ probe: boolean }> {
  const key = circuitKey(refOf(circuit));
  const now = Date.now();
  const copy = cache.copies.get(key);
  if (copy && copy.until > now) {
    if (copy.view.state === "closed") return { probe: false };
    const openUntil = copy.at + copy.view.retryAfterMs;
    if (copy.view.state === "open" && openUntil > now) throw new CircuitOpen(circuit, openUntil - now);
  }
  let view: CircuitView;
  try {
    view = await circuitOf(rt, circuit).admit(breakerPolicy(rt));
  } catch (err) {
    log.warn("resilience.circuit_unreachable", { circuit: key, ...errorFields(err) });
    return { probe: false };
  }
  // An admitted probe's answer is its own: the next caller must ask the object again.
  if (!view.probe) keep(rt, cache, key, view);
  else cache.copies.delete(key);
  if (!view.allowed) throw new CircuitOpen(circuit, view.retryAfterMs);
  return { probe: view.probe };
}

/**
 * The circuit's refusal, if it is open now (from the isolate's copy, or the
 * object when the copy is stale), without admitting a call: a half-open
 * circuit is not refused here, its probe is for the call itself.
 */
export async function peekCircuit(
  rt: Pick<Runtime, "vars" | "objects">,
  circuit: Circuit,
  cache: CircuitCache = isolateCache,
): Promise<CircuitOpen | null> {
  const key = circuitKey(refOf(circuit));
  const now = Date.now();
  let copy = cache.copies.get(key);
  if (!copy || copy.until <= now) {
    try {
      keep(rt, cache, key, await circuitOf(rt, circuit).view(breakerPolicy(rt)));
    } catch (err) {
      log.warn("resilience.circuit_unreachable", { circuit: key, ...errorFields(err) });
      return null;
    }
    copy = cache.copies.get(key)!;
  }
  const openUntil = copy.at + copy.view.retryAfterMs;
  return copy.view.state === "open" && openUntil > now ? new CircuitOpen(circuit, openUntil - now) : null;
}

async function send(rt: Pick<Runtime, "vars" | "objects">, cache: CircuitCache, circuit: Circuit): Promise<void> {
  const key = circuitKey(refOf(circuit));
  cache.sending.add(key);
  try {
    for (;;) {
      const batch = cache.unsent.get(key) ?? [];
      if (batch.length === 0) return;
      cache.unsent.set(key, []);
      keep(rt, cache, key, await circuitOf(rt, circuit).report(batch, breakerPolicy(rt)));
    }
  } catch (err) {
    log.warn("resilience.report_failed", { circuit: key, ...errorFields(err) });
  } finally {
    cache.sending.delete(key);
  }
}

/** Tells the circuit how a call went: in the background, batched; a probe's outcome before returning. */
export async function reportCall(
  rt: Pick<Runtime, "vars" | "objects" | "waitUntil">,
  circuit: Circuit,
  outcome: Outcome,
  probe: boolean,
  cache: CircuitCache = isolateCache,
): Promise<void> {
  const key = circuitKey(refOf(circuit));
  const reported: ReportedOutcome = { outcome, probe, at: Date.now() };
  if (probe) {
    try {
      keep(rt, cache, key, await circuitOf(rt, circuit).report([reported], breakerPolicy(rt)));
    } catch (err) {
      log.warn("resilience.report_failed", { circuit: key, ...errorFields(err) });
    }
    return;
  }
  const unsent = cache.unsent.get(key) ?? [];
  unsent.push(reported);
  cache.unsent.set(key, unsent);
  if (!cache.sending.has(key)) rt.waitUntil(send(rt, cache, circuit));
}

export interface CircuitEntry {
  dependency: DependencyName;
  /** null: the dependency's own circuit. */
  instance: string | null;
  view: CircuitView;
}

/**
 * Every circuit, from the objects (health and metrics; no admission): a
 * dependency whose calls name instances is listed by its instances' circuits
 * (its own is then unused), any other by its own.
 */
export async function circuitViews(
  rt: Pick<Runtime, "vars" | "objects">,
  dependencies: readonly DependencyName[],
): Promise<CircuitEntry[]> {
  const policy = breakerPolicy(rt);
  const perDependency = await Promise.all(
    dependencies.map(async (dependency): Promise<CircuitEntry[]> => {
      const own = circuitOf(rt, dependency);
      const instances = await own.instances();
      if (instances.length === 0) return [{ dependency, instance: null, view: await own.view(policy) }];
      return Promise.all(
        instances.map(async (instance) => ({ dependency, instance, view: await circuitOf(rt, { dependency, instance }).view(policy) })),
      );
    }),
  );
  return perDependency.flat();
}
