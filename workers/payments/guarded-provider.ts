/**
 * The payment provider behind the platform's resilience (docs/operability.md):
 * every remote call has a timeout, goes through the provider's shared
 * circuit and the isolate's bulkhead, and is retried with jittered back-off.
 * All four calls are retried because all four are idempotent at the
 * provider: each sends a key derived from the payment (`<payment>:authorize`,
 * `:capture`, `:void`, `:refund-…`), unchanged on every attempt, so a retry
 * returns the first answer and never charges twice. Declines are answers, and
 * refusals (ProviderRefused) mean the provider is healthy: only an unknown
 * outcome counts against its circuit.
 */
import type { Database } from "../platform/db.ts";
import { ApiError } from "../platform/errors.ts";
import { CallTimedOut } from "../platform/resilience/attempts.ts";
import { BulkheadFull, callDependency } from "../platform/resilience/dependency-call.ts";
import { InjectedDependencyFault } from "../platform/resilience/dependency-faults.ts";
import { CircuitOpen, peekCircuit } from "../platform/resilience/shared-circuit.ts";
import type { Runtime } from "../platform/runtime.ts";
import { paymentsConfig } from "./config.ts";
import { PaymentErrors } from "./errors.ts";
import { type PaymentProvider, ProviderUnavailable } from "./providers/types.ts";

type RemoteCall = "authorize" | "capture" | "void" | "refund";

function circuitOpen(err: CircuitOpen): ApiError {
  return new ApiError(
    PaymentErrors.PAYMENT_PROVIDER_CIRCUIT_OPEN,
    "The payment provider is failing, so no payment is attempted for now; nothing was charged. Try again after Retry-After.",
    { retryAfterSeconds: err.retryAfterSeconds, headers: { "retry-after": String(err.retryAfterSeconds) } },
  );
}

/** What the rest of the payments code expects to catch, from what the resilience layer throws. */
function translated(err: unknown): unknown {
  if (err instanceof CircuitOpen) return circuitOpen(err);
  if (err instanceof BulkheadFull)
    return new ApiError(
      PaymentErrors.PAYMENT_PROVIDER_UNAVAILABLE,
      "Too many payment calls are in flight; nothing was sent to the provider. Retry with the same idempotency key.",
      { headers: { "retry-after": "1" } },
    );
  if (err instanceof CallTimedOut || err instanceof InjectedDependencyFault) return new ProviderUnavailable(`payments: ${err.message}`);
  return err;
}

export function guardedProvider(rt: Runtime, db: Database, provider: PaymentProvider): PaymentProvider {
  const timeoutMs = paymentsConfig.read(rt).PAYMENT_PROVIDER_TIMEOUT_MS;
  const guard = <T>(operation: RemoteCall, fn: () => Promise<T>): Promise<T> =>
    callDependency(
      rt,
      { dependency: "payments", operation, timeoutMs, idempotent: true, isFailure: (err) => err instanceof ProviderUnavailable, db },
      fn,
    ).catch((err: unknown) => {
      throw translated(err);
    });
  return Object.assign(Object.create(provider) as PaymentProvider, {
    authorize: (req) => guard("authorize", () => provider.authorize(req)),
    capture: (req) => guard("capture", () => provider.capture(req)),
    void: (req) => guard("void", () => provider.void(req)),
    refund: (req) => guard("refund", () => provider.refund(req)),
  } satisfies Pick<PaymentProvider, RemoteCall>);
}

/**
 * Refuses a checkout at once while the payment provider's circuit is open:
 * 503 PAYMENT_PROVIDER_CIRCUIT_OPEN with Retry-After, before anything is
 * written or charged (the order stays pending). Admits nothing itself, so a
 * half-open circuit's probe is left to the payment.
 */
export async function assertPaymentsAdmitted(rt: Runtime): Promise<void> {
  const shut = await peekCircuit(rt, "payments");
  if (shut) throw circuitOpen(shut);
}
