/**
 * The checkout saga's steps, in one table: for each forward step, its
 * action (what is asked of the other family), why the order is cancelled
 * when the step keeps failing, and its compensation (what gives its effect
 * back when the order is cancelled). The actions are in saga-actions.ts, the
 * compensations in saga-compensations.ts.
 *
 * Which step comes next is the pure rules' decision (saga-rules.ts:
 * `nextForwardStep`, in the order of `FORWARD_STEPS`, which is this table's
 * order). Each action records its step as started before its side effect is
 * asked for and done after, with a key derived from the order, so a repeat
 * after a crash never charges, sells or ships twice.
 *
 * Compensations run newest step first and once each (`COMPENSATIONS`): some
 * give back two steps' effects at once, decided from what inventory and
 * payments report now. So the order is: stop the shipment, give the stock
 * back, give the money back. Each is keyed by the order, so running it twice
 * is harmless; a dependency that fails ends it "pending" (tried again
 * later), never given up.
 */

import { type Acted, authorize, type CancelReason, capture, commit, reserve, ship } from "./saga-actions.ts";
import { type Compensation, giveMoneyBack, giveStockBack, haltShipment } from "./saga-compensations.ts";
import type { ForwardStep } from "./saga-rules.ts";
import type { Run } from "./saga-run.ts";
import type { OrderBundle } from "./store.ts";

// What the driver (saga.ts) and the object (order-saga.ts) use of the steps besides the table.
export { afterAuthorization, type CancelReason } from "./saga-actions.ts";

export interface SagaStep {
  step: ForwardStep;
  action(run: Run, b: OrderBundle): Promise<Acted>;
  /** Why the order is cancelled when the step keeps failing after its retries. */
  exhausted: CancelReason;
  compensation: Compensation;
}

// ---- the table

/** The forward steps in the order they run (that of `FORWARD_STEPS`), each with its action and its compensation. */
export const SAGA_STEPS: readonly SagaStep[] = [
  { step: "reserved", action: reserve, exhausted: "out_of_stock", compensation: giveStockBack },
  { step: "authorized", action: authorize, exhausted: "payment_failed", compensation: giveMoneyBack },
  { step: "captured", action: capture, exhausted: "payment_failed", compensation: giveMoneyBack },
  { step: "committed", action: commit, exhausted: "fulfilment_failed", compensation: giveStockBack },
  { step: "shipment_created", action: ship, exhausted: "fulfilment_failed", compensation: haltShipment },
];

export function sagaStep(step: ForwardStep): SagaStep {
  const s = SAGA_STEPS.find((x) => x.step === step);
  if (!s) throw new Error(`The saga has no step ${step}`);
  return s;
}

/** The compensations in the order they run: newest step first, each once. */
export const COMPENSATIONS: readonly Compensation[] = [...new Set([...SAGA_STEPS].reverse().map((s) => s.compensation))];
