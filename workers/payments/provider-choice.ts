/**
 * Which provider serves a payment: new payments go to PAYMENT_PROVIDER;
 * an existing payment stays with the provider that authorised it.
 */
import type { Database } from "../platform/db.ts";
import { ApiError } from "../platform/errors.ts";
import type { Runtime } from "../platform/runtime.ts";
import { paymentsConfig } from "./config.ts";
import { PaymentErrors } from "./errors.ts";
import { guardedProvider } from "./guarded-provider.ts";
import { SandboxProvider } from "./providers/sandbox.ts";
import { StripeProvider } from "./providers/stripe.ts";
import { type PaymentProvider, PROVIDER_NAMES, type ProviderName } from "./providers/types.ts";

export const isProviderName = (name: string): name is ProviderName => (PROVIDER_NAMES as readonly string[]).includes(name);

export function activeProviderName(rt: Pick<Runtime, "vars">): ProviderName {
  return paymentsConfig.read(rt).PAYMENT_PROVIDER;
}

/** The provider of `name`, its remote calls behind the timeouts, circuit and bulkhead of guarded-provider.ts. */
export function providerFor(rt: Runtime, db: Database, name: string): PaymentProvider {
  return guardedProvider(rt, db, bareProvider(rt, db, name));
}

function bareProvider(rt: Pick<Runtime, "vars">, db: Database, name: string): PaymentProvider {
  const config = paymentsConfig.read(rt);
  if (name === "sandbox") return new SandboxProvider(db);
  if (name === "stripe") {
    if (!config.STRIPE_SECRET_KEY)
      throw new ApiError(PaymentErrors.PAYMENT_PROVIDER_UNAVAILABLE, "The Stripe provider is not configured (STRIPE_SECRET_KEY)");
    return new StripeProvider(config.STRIPE_SECRET_KEY, undefined, { timeoutMs: config.PAYMENT_PROVIDER_TIMEOUT_MS });
  }
  throw new ApiError(PaymentErrors.PAYMENT_PROVIDER_UNAVAILABLE, `No payment provider named ${name}`);
}

/** The secrets that sign this provider's webhooks (several during a rotation). */
export function webhookSecrets(rt: Pick<Runtime, "vars">): string[] {
  return paymentsConfig.read(rt).PAYMENT_WEBHOOK_SECRETS;
}
