/** The circuit policy from the platform's settings (CIRCUIT_*: workers/platform/config.ts, docs/operability.md). */
import { platformConfig } from "../config.ts";
import type { Runtime } from "../runtime.ts";
import type { BreakerPolicy } from "./breaker-rules.ts";

export function breakerPolicy(rt: Pick<Runtime, "vars">): BreakerPolicy {
  const s = platformConfig.read(rt);
  const coolDownMs = Math.round(s.CIRCUIT_COOL_DOWN_SECONDS * 1000);
  return {
    failureThreshold: s.CIRCUIT_FAILURES_IN_A_ROW,
    failureRatio: s.CIRCUIT_FAILURE_RATIO,
    minCalls: s.CIRCUIT_MIN_CALLS,
    windowMs: Math.round(s.CIRCUIT_WINDOW_SECONDS * 1000),
    coolDownMs,
    // A probe that never reports (its isolate died) frees its slot after a cool-down, or 10 s, whichever is longer.
    probeLeaseMs: Math.max(coolDownMs, 10_000),
  };
}
