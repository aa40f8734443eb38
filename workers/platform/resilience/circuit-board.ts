/**
 * What the platform asks of a dependency's shared circuit (the
 * CircuitBreaker object, one per dependency): the object implements this
 * interface, so the platform reaches it through the objects port without
 * importing it.
 */
import type { BreakerPolicy, CircuitState, Outcome } from "./breaker-rules.ts";

export interface CircuitView {
  state: CircuitState;
  /** The call asked about may go ahead (always true for a view without an admission). */
  allowed: boolean;
  /** It goes ahead as the half-open circuit's one probe. */
  probe: boolean;
  /** Milliseconds until a refused call may try again. */
  retryAfterMs: number;
  opens: number;
}

export interface ReportedOutcome {
  outcome: Outcome;
  probe: boolean;
  at: number;
}

export interface CircuitBoard extends Rpc.DurableObjectBranded {
  /** Admits one call (a probe when half-open) or refuses it. */
  admit(policy: BreakerPolicy): Promise<CircuitView>;
  /** Counts outcomes (a batch from one isolate) and answers the state after them. */
  report(outcomes: ReportedOutcome[], policy: BreakerPolicy): Promise<CircuitView>;
  /** The state, without admitting anything (health, metrics). */
  view(policy: BreakerPolicy): Promise<CircuitView>;
  /** A dependency's object keeps the names of its instances' circuits, so health and metrics can list them. */
  noteInstance(instance: string): Promise<void>;
  instances(): Promise<string[]>;
}
