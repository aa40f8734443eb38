/**
 * Every call to an external provider goes through `callDependency`: the
 * bulkhead (calls at once per isolate), the shared circuit, injected faults
 * (development and tests), a timeout on every attempt, and retries with
 * jittered back-off only when the caller declares the call idempotent.
 * Which errors count against the provider is the caller's to say: a
 * refusal the provider answered (4xx) means it is healthy.
 */

import { platformConfig } from "../config.ts";
import type { Database } from "../db.ts";
import { counter } from "../metrics.ts";
import type { Runtime } from "../runtime.ts";
import { CallTimedOut, type RetryPolicy, withRetries, withTimeout } from "./attempts.ts";
import { Bulkhead } from "./bulkhead.ts";
import { type CircuitRef, circuitKey, type DependencyName } from "./dependencies.ts";
import { delay, InjectedDependencyFault, takeDependencyFault } from "./dependency-faults.ts";
import { admitCall, type CircuitCache, noteInstance, reportCall } from "./shared-circuit.ts";

/** A call refused at once because the isolate already has its limit of calls to the dependency in flight. */
export class BulkheadFull extends Error {
  override name = "BulkheadFull";
  constructor(
    readonly dependency: DependencyName,
    readonly limit: number,
  ) {
    super(`${limit} calls to ${dependency} are already in flight in this instance`);
  }
}

export interface DependencyCall {
  dependency: DependencyName;
  /**
   * The provider within the dependency (an OIDC issuer, one mail provider of
   * a chain): it gets a circuit and a bulkhead of its own, so one failing
   * instance opens its own circuit and no other. Configuration, never input.
   */
  instance?: string;
  /** What the call does, for metrics (a fixed name, never input). */
  operation: string;
  timeoutMs: number;
  /**
   * Retried only when true: a read, or a write the provider deduplicates by
   * a key sent unchanged with every attempt.
   */
  idempotent: boolean;
  retry?: RetryPolicy;
  /** Whether an error means the provider is failing (default: every error). */
  isFailure?: (err: unknown) => boolean;
  /** The database of the fault points (development and tests). */
  db?: Database;
  /** Tests play a second isolate with a cache of their own. */
  cache?: CircuitCache;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseMs: 100, capMs: 1000 };

export const dependencyCallsTotal = counter("dependency_calls_total", "Calls to external providers by dependency, operation and outcome");

const bulkheads = new Map<string, Bulkhead>();

export function bulkheadOf(circuit: string, limit: number): Bulkhead {
  const key = `${circuit}|${limit}`;
  let b = bulkheads.get(key);
  if (!b) {
    b = new Bulkhead(limit);
    bulkheads.set(key, b);
  }
  return b;
}

export async function callDependency<T>(
  rt: Pick<Runtime, "vars" | "objects" | "waitUntil">,
  call: DependencyCall,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { dependency, operation } = call;
  const circuit: CircuitRef = { dependency, instance: call.instance };
  const bulkhead = bulkheadOf(circuitKey(circuit), platformConfig.read(rt).PROVIDER_MAX_CONCURRENT_CALLS);
  if (!bulkhead.tryAcquire()) {
    dependencyCallsTotal.inc({ dependency, operation, outcome: "bulkhead_full" });
    throw new BulkheadFull(dependency, bulkhead.limit);
  }
  try {
    let admission: { probe: boolean };
    try {
      noteInstance(rt, circuit, call.cache);
      admission = await admitCall(rt, circuit, call.cache);
    } catch (err) {
      dependencyCallsTotal.inc({ dependency, operation, outcome: "circuit_open" });
      throw err;
    }
    const given = call.isFailure ?? (() => true);
    const isFailure = (err: unknown) => err instanceof CallTimedOut || err instanceof InjectedDependencyFault || given(err);
    // A probe is one attempt: its outcome alone decides the circuit.
    const policy = call.idempotent && !admission.probe ? (call.retry ?? DEFAULT_RETRY) : { ...DEFAULT_RETRY, attempts: 1 };
    const attempt = async () => {
      // The fault lookup is not the provider's time: the timeout covers the (possibly slowed) call only.
      const fault = await takeDependencyFault(rt, call.db, dependency);
      if (fault?.kind === "fail") throw new InjectedDependencyFault(`injected failure of ${dependency}`);
      return withTimeout(call.timeoutMs, async (signal) => {
        if (fault?.kind === "slow") await delay(fault.ms, signal);
        if (signal.aborted) throw signal.reason;
        const result = await fn(signal);
        if (fault?.kind === "drop") throw new InjectedDependencyFault(`injected lost answer of ${dependency}`);
        return result;
      });
    };
    try {
      const result = await withRetries(policy, attempt, isFailure);
      dependencyCallsTotal.inc({ dependency, operation, outcome: "ok" });
      await reportCall(rt, circuit, "success", admission.probe, call.cache);
      return result;
    } catch (err) {
      const failed = isFailure(err);
      dependencyCallsTotal.inc({ dependency, operation, outcome: err instanceof CallTimedOut ? "timeout" : failed ? "failed" : "refused" });
      await reportCall(rt, circuit, failed ? "failure" : "success", admission.probe, call.cache);
      throw err;
    }
  } finally {
    bulkhead.release();
  }
}
