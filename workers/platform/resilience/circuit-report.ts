/** The providers' circuits as health and metrics report them, read from their shared objects. */
import type { GaugeSample } from "../metrics.ts";
import type { Runtime } from "../runtime.ts";
import type { CircuitState } from "./breaker-rules.ts";
import { circuitKey, DEPENDENCY_NAMES } from "./dependencies.ts";
import { circuitViews } from "./shared-circuit.ts";

/** `circuit_state`'s values: 0 closed, 1 half-open (a probe is out), 2 open. */
const STATE_VALUE: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };

/** Each circuit's state by its name: `payments`, or `oidc:<issuer>` and `mail:<provider>` for the per-instance ones. */
export async function circuitStates(rt: Pick<Runtime, "vars" | "objects">): Promise<Record<string, CircuitState>> {
  const views = await circuitViews(rt, DEPENDENCY_NAMES);
  return Object.fromEntries(
    views.map(({ dependency, instance, view }) => [circuitKey({ dependency, instance: instance ?? undefined }), view.state]),
  );
}

export async function circuitGauges(rt: Pick<Runtime, "vars" | "objects">): Promise<GaugeSample[]> {
  const views = await circuitViews(rt, DEPENDENCY_NAMES);
  return views.flatMap(({ dependency, instance, view }) => {
    const labels: Record<string, string> = instance ? { dependency, instance } : { dependency };
    return [
      {
        name: "circuit_state",
        help: "The provider's circuit: 0 closed, 1 half-open (one probe out), 2 open (calls refused)",
        value: STATE_VALUE[view.state],
        labels,
      },
      { name: "circuit_opens", help: "How many times the provider's circuit has opened", value: view.opens, labels },
    ];
  });
}
