/**
 * Each provider of a channel behind its own circuit (mail, SMS, push:
 * workers/platform/resilience/, one circuit per provider of the chain): a
 * failing primary opens its circuit and no other, so while it is open the
 * chain skips it and fails over at once to the next provider, without
 * waiting for its timeout. Only a transient failure counts against a
 * provider: a permanent refusal (an invalid address) means it answered, and
 * a test's per-message fault point says nothing about it. Sends are not
 * retried here: not every provider deduplicates by our key, so the retry is
 * the queue's, with its back-off, and the message stays queued meanwhile.
 */
import type { Database } from "../platform/db.ts";
import { InjectedFault } from "../platform/faults.ts";
import { CallTimedOut } from "../platform/resilience/attempts.ts";
import type { DependencyName } from "../platform/resilience/dependencies.ts";
import { BulkheadFull, callDependency } from "../platform/resilience/dependency-call.ts";
import { InjectedDependencyFault } from "../platform/resilience/dependency-faults.ts";
import { CircuitOpen } from "../platform/resilience/shared-circuit.ts";
import type { Runtime } from "../platform/runtime.ts";
import type { Outgoing } from "./compose.ts";
import { asProviderError, ProviderError } from "./providers/types.ts";

const CHANNEL_DEPENDENCY: Record<Outgoing["channel"], DependencyName> = { email: "mail", sms: "sms", push: "push" };

/** Each provider has 10 s (providers/http.ts); the guard allows a little more. */
const PROVIDER_TIMEOUT_MS = 11_000;

/** A failure that came from a test's fault point, not a provider. */
export const isInjected = (err: unknown) => err instanceof InjectedFault || (err instanceof Error && err.cause instanceof InjectedFault);

/**
 * Sends through one provider behind its circuit. A refusal of the guard (its
 * circuit open, its bulkhead full, no answer in time) comes back as a
 * transient ProviderError, so the chain fails over to the next provider.
 */
export async function guardedSend<T>(
  rt: Pick<Runtime, "vars" | "objects" | "waitUntil">,
  db: Database,
  channel: Outgoing["channel"],
  provider: string,
  send: () => Promise<T>,
): Promise<T> {
  const dependency = CHANNEL_DEPENDENCY[channel];
  try {
    return await callDependency(
      rt,
      {
        dependency,
        instance: provider,
        operation: "send",
        timeoutMs: PROVIDER_TIMEOUT_MS,
        idempotent: false,
        isFailure: (err) => !isInjected(err) && !asProviderError(err).info.permanent,
        db,
      },
      send,
    );
  } catch (err) {
    if (err instanceof CircuitOpen || err instanceof BulkheadFull || err instanceof CallTimedOut || err instanceof InjectedDependencyFault)
      throw new ProviderError(`${dependency} (${provider}): ${err.message}`, { permanent: false });
    throw err;
  }
}
