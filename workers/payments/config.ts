/** The settings the payments family reads (vars and secrets; see wrangler.toml and the README). */
import { z } from "zod";
import { csvVar, defineConfig } from "../platform/config.ts";

export const paymentsConfig = defineConfig(
  "payments",
  z.object({
    /** Payments: the provider new payments go to (existing payments keep theirs). The sandbox needs no credentials. */
    PAYMENT_PROVIDER: z.enum(["sandbox", "stripe"]).default("sandbox"),
    /** Payments: Stripe secret key `sk_live_…` / `sk_test_…` (secret); required when PAYMENT_PROVIDER=stripe. */
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_\w+$/, "must be a Stripe secret or restricted key")
      .optional(),
    /** Payments: webhook signing secrets, comma-separated (secret); several during a rotation, each accepted. */
    PAYMENT_WEBHOOK_SECRETS: csvVar,
    /** Payments: how long a provider call may take before its outcome counts as unknown (503, retry with the same key). */
    PAYMENT_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  }),
);
