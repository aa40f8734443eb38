/**
 * The external dependencies the shop calls, each with its own circuit (one
 * CircuitBreaker object per name, shared by every isolate) and its own
 * bulkhead per isolate. The fallback of each is in docs/operability.md.
 */
export const DEPENDENCIES = {
  payments: "the payment provider (sandbox or Stripe)",
  carrier: "the shipping carrier",
  mail: "the mail provider",
  sms: "the SMS provider",
  push: "the push provider",
  oidc: "the OpenID Connect identity providers (their key sets)",
} as const;

export type DependencyName = keyof typeof DEPENDENCIES;

export const DEPENDENCY_NAMES = Object.keys(DEPENDENCIES) as DependencyName[];

/**
 * A circuit: a dependency's own, or one of its providers' (an OIDC issuer,
 * a mail provider of the chain) when the calls name an instance, so one
 * failing issuer or provider opens its own circuit and no other.
 */
export interface CircuitRef {
  dependency: DependencyName;
  instance?: string | undefined;
}

/** The CircuitBreaker object's name: `mail` or `mail:sendgrid` (an instance is cut to 200 characters). */
export const circuitKey = (ref: CircuitRef): string => (ref.instance ? `${ref.dependency}:${ref.instance.slice(0, 200)}` : ref.dependency);

/** The binding of the CircuitBreaker objects (durable-objects/circuit-breaker). */
export const CIRCUIT_BREAKER_BINDING = "CIRCUIT_BREAKER";
