/**
 * A channel's providers behind that channel's circuit (mail, SMS, push:
 * workers/platform/resilience/). One message is one call: the chain's
 * failover happens inside it, so a failing first provider with a healthy
 * second one does not open the circuit; only a message no provider could
 * take (a transient failure) counts against it. Sends are not retried
 * here: not every provider deduplicates by our key, so the retry is the
 * queue's, with its back-off, and the message stays queued meanwhile.
 */
import type { Database } from "../platform/db.ts";
import { CallTimedOut } from "../platform/resilience/attempts.ts";
import type { DependencyName } from "../platform/resilience/dependencies.ts";
import { BulkheadFull, callDependency } from "../platform/resilience/dependency-call.ts";
import { InjectedDependencyFault } from "../platform/resilience/dependency-faults.ts";
import { CircuitOpen } from "../platform/resilience/shared-circuit.ts";
import type { Runtime } from "../platform/runtime.ts";
import type { Outgoing } from "./compose.ts";
import { ProviderError } from "./providers/types.ts";

const CHANNEL_DEPENDENCY: Record<Outgoing["channel"], DependencyName> = { email: "mail", sms: "sms", push: "push" };

/** Each provider has 10 s (providers/http.ts); a chain of them, a little more than three. */
const CHAIN_TIMEOUT_MS = 32_000;

/** No provider of the chain took the message; `injected` when the last failure came from a test's fault point, not a provider. */
export class ChannelFailed extends Error {
  override name = "ChannelFailed";
  constructor(
    readonly failure: ProviderError,
    readonly injected: boolean,
  ) {
    super(failure.message);
  }
}

/** Runs the chain; a refusal of the guard comes back as a transient ProviderError (the message stays queued). */
export async function guardedChannel(
  rt: Pick<Runtime, "vars" | "objects" | "waitUntil">,
  db: Database,
  channel: Outgoing["channel"],
  chain: () => Promise<void>,
): Promise<ProviderError | null> {
  const dependency = CHANNEL_DEPENDENCY[channel];
  try {
    await callDependency(
      rt,
      {
        dependency,
        operation: "send",
        timeoutMs: CHAIN_TIMEOUT_MS,
        idempotent: false,
        isFailure: (err) => err instanceof ChannelFailed && !err.failure.info.permanent && !err.injected,
        db,
      },
      chain,
    );
    return null;
  } catch (err) {
    if (err instanceof ChannelFailed) return err.failure;
    if (err instanceof CircuitOpen || err instanceof BulkheadFull || err instanceof CallTimedOut || err instanceof InjectedDependencyFault)
      return new ProviderError(`${dependency}: ${err.message}`, { permanent: false });
    throw err;
  }
}
