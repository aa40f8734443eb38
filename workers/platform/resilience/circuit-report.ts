/** The providers' circuits as health and metrics report them, read from their shared objects. */
import type { GaugeSample } from "../metrics.ts";
import type { Runtime } from "../runtime.ts";
import type { CircuitState } from "./breaker-rules.ts";
import { DEPENDENCY_NAMES, type DependencyName } from "./dependencies.ts";
import { circuitViews } from "./shared-circuit.ts";

/** `circuit_state`'s values: 0 closed, 1 half-open (a probe is out), 2 open. */
const STATE_VALUE: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };

export async function circuitStates(rt: Pick<Runtime, "vars" | "objects">): Promise<Record<DependencyName, CircuitState>> {
  const views = await circuitViews(rt, DEPENDENCY_NAMES);
  return Object.fromEntries(views.map(({ dependency, view }) => [dependency, view.state])) as Record<DependencyName, CircuitState>;
}

export async function circuitGauges(rt: Pick<Runtime, "vars" | "objects">): Promise<GaugeSample[]> {
  const views = await circuitViews(rt, DEPENDENCY_NAMES);
  return views.flatMap(({ dependency, view }) => [
    {
      name: "circuit_state",
      help: "The provider's circuit: 0 closed, 1 half-open (one probe out), 2 open (calls refused)",
      value: STATE_VALUE[view.state],
      labels: { dependency },
    },
    { name: "circuit_opens", help: "How many times the provider's circuit has opened", value: view.opens, labels: { dependency } },
  ]);
}
