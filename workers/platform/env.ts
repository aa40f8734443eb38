/**
 * The one typed environment. Bindings are typed by hand from wrangler.toml;
 * vars and secrets are parsed with zod once per isolate, so a missing or
 * malformed setting fails loudly at the first request instead of deep inside
 * a handler.
 */
import { z } from "zod";
import type { JobLease } from "../../durable-objects/job-lease/job-lease.ts";
import type { Inventory } from "../../durable-objects/inventory/inventory.ts";
import type { Reservation } from "../../durable-objects/inventory/reservation.ts";
import type { LoginThrottle } from "../../durable-objects/login-throttle/login-throttle.ts";
import type { Cart } from "../../durable-objects/cart/cart.ts";
import type { OrderSaga } from "../../durable-objects/order/order-saga.ts";
import { providersConfigSchema } from "../notifications/provider-config.ts";

export interface Bindings {
  JOB_LEASE: DurableObjectNamespace<JobLease>;
  /** One Inventory object per SKU (idFromName(sku)): the single writer of its stock and holds. */
  INVENTORY: DurableObjectNamespace<Inventory>;
  /** One Reservation object per multi-line reservation (idFromName(reservationId)). */
  RESERVATIONS: DurableObjectNamespace<Reservation>;
  LOGIN_THROTTLE: DurableObjectNamespace<LoginThrottle>;
  /** One Cart object per cart: idFromName(`user:<userId>`) or idFromName(`guest:<cookie token>`). */
  CART: DurableObjectNamespace<Cart>;
  /** One OrderSaga object per order (idFromName(orderId)): the single writer of the order, driving its checkout saga. */
  ORDERS: DurableObjectNamespace<OrderSaga>;
  Q_NOTIFICATIONS: Queue;
  Q_AUDIT: Queue;
  Q_PIPELINE: Queue;
  Q_SEARCH: Queue;
  DLQ_NOTIFICATIONS: Queue;
  DLQ_AUDIT: Queue;
  DLQ_PIPELINE: Queue;
  DLQ_SEARCH: Queue;
  Q_INVENTORY_PROJECTION: Queue;
  DLQ_INVENTORY_PROJECTION: Queue;
  Q_FULFILMENT: Queue;
  DLQ_FULFILMENT: Queue;
  BACKUPS: R2Bucket;
  /** Product images, keyed by content hash. */
  MEDIA: R2Bucket;
}

const csv = z
  .string()
  .default("")
  .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean));

/** A var or secret holding JSON, checked against `schema`. */
function jsonVar<T extends z.ZodType>(schema: T, what: string) {
  return z.string().transform((s, ctx): z.output<T> => {
    let value: unknown;
    try {
      value = JSON.parse(s);
    } catch {
      ctx.addIssue({ code: "custom", message: `must be ${what}` });
      return z.NEVER;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: "custom", message: `must be ${what}: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}` });
    return z.NEVER;
  });
}

/** A private signing key: Ed25519 (EdDSA) or P-256 (ES256), with its key id. */
const signingJwk = z.looseObject({ kid: z.string().min(1), alg: z.enum(["EdDSA", "ES256"]), kty: z.enum(["OKP", "EC"]), crv: z.enum(["Ed25519", "P-256"]), d: z.string().min(1) });
export type SigningJwk = z.infer<typeof signingJwk>;

export const configSchema = z.object({
  APP_ENV: z.enum(["development", "test", "production"]).default("production"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection string"),
  /** Local only: `host:port/v2` of the wsproxy relay in front of a plain Postgres. Unset on Neon. */
  NEON_WSPROXY: z.string().optional(),
  CORS_ORIGINS: csv,
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_048_576),
  QUEUE_RETRY_BASE_SECONDS: z.coerce.number().min(0).default(5),
  /** Bearer token of the operations principal (role admin) for machine access. */
  OPS_TOKEN: z.string().min(24).optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** HMAC key that signs audit checkpoints (secret). */
  AUDIT_CHECKPOINT_KEY: z.string().min(32).optional(),
  /** Audit retention in days per event type, with a `default`: JSON. */
  AUDIT_RETENTION_DAYS: z
    .string()
    .default('{"default":3650}')
    .transform((s, ctx) => {
      try {
        return z.record(z.string(), z.number().int().positive()).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: "custom", message: "must be a JSON object of event type to days" });
        return z.NEVER;
      }
    }),
  /** Identity: private JWKs (JSON array, newest first) that sign access tokens; the others still verify (secret). */
  JWT_SIGNING_KEYS: jsonVar(z.array(signingJwk).min(1).refine((keys) => new Set(keys.map((k) => k.kid)).size === keys.length, "kids must be unique"), "a JSON array of private JWKs").optional(),
  JWT_ISSUER: z.string().min(1).default("edge-commerce"),
  JWT_AUDIENCE: z.string().min(1).default("edge-commerce-api"),
  /** Trusted OpenID Connect issuers for SSO: JSON array of { issuer, audience, jwksUrl }. */
  SSO_ISSUERS: jsonVar(z.array(z.object({ issuer: z.string().min(1), audience: z.string().min(1), jwksUrl: z.url() })), "a JSON array of { issuer, audience, jwksUrl }").default([]),
  /** 32 random bytes, base64: encrypts TOTP secrets at rest (secret). */
  MFA_ENCRYPTION_KEY: z.string().regex(/^[A-Za-z0-9+/_-]{43}=?$/, "must be 32 bytes in base64").optional(),
  /** PBKDF2-SHA256 work factor of new password hashes (OWASP: 600,000); lower only for tests. */
  PASSWORD_ITERATIONS: z.coerce.number().int().min(1_000).default(600_000),
  /** Notifications: per channel, the providers with their credentials, primary first (JSON, secret); unset channels use the capture provider. */
  NOTIFICATION_PROVIDERS: jsonVar(providersConfigSchema, "a JSON object of channel to provider list").optional(),
  /** Base URL of the web shop, for the links in customer messages. */
  STOREFRONT_URL: z.url().default("http://localhost:5173"),
  /** Enables database-driven fault injection points; never set in production. */
  FAULT_INJECTION: z.enum(["on", "off"]).default("off"),
  /** Pipeline: HMAC-SHA256 key that turns user ids into stable pseudonymous ids before anything reaches analytics (secret). */
  PII_HASH_KEY: z.string().min(32).optional(),
  /** Analytics: the share of product page reads announced as ProductViewed (1 = every read, 0 = none). */
  ANALYTICS_VIEW_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(1),
  /** Cart: idle time after which a cart expires (CartAbandoned), its line count and the quantity of one line. */
  CART_IDLE_TTL_SECONDS: z.coerce.number().int().min(60).default(7 * 24 * 3600),
  CART_MAX_LINES: z.coerce.number().int().min(1).max(500).default(50),
  CART_MAX_QUANTITY: z.coerce.number().int().min(1).max(10_000).default(99),
  /** Delivery: per carrier, its webhook signing secrets (JSON object of carrier to secrets, secret); several during a rotation, each accepted. */
  CARRIER_WEBHOOK_SECRETS: jsonVar(z.record(z.string(), z.array(z.string().min(16)).min(1)), "a JSON object of carrier name to a list of secrets").default({}),
  /** Delivery: days after delivery during which a customer may start a return. */
  RETURN_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  /** Payments: the provider new payments go to (existing payments keep theirs). The sandbox needs no credentials. */
  PAYMENT_PROVIDER: z.enum(["sandbox", "stripe"]).default("sandbox"),
  /** Payments: Stripe secret key `sk_live_…` / `sk_test_…` (secret); required when PAYMENT_PROVIDER=stripe. */
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_\w+$/, "must be a Stripe secret or restricted key").optional(),
  /** Payments: webhook signing secrets, comma-separated (secret); several during a rotation, each accepted. */
  PAYMENT_WEBHOOK_SECRETS: csv,
  /** Payments: how long a provider call may take before its outcome counts as unknown (503, retry with the same key). */
  PAYMENT_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Orders: how long a pending order holds its stock before it is cancelled as expired. */
  ORDER_HOLD_SECONDS: z.coerce.number().int().min(60).max(24 * 3600).default(15 * 60),
  /** Orders: shipping fee per currency, free from a subtotal (after discounts): JSON object of currency to { feeMinor, freeFromMinor }. */
  ORDER_SHIPPING_FEES: jsonVar(z.record(z.string().regex(/^[A-Z]{3}$/), z.object({ feeMinor: z.number().int().min(0), freeFromMinor: z.number().int().min(0).nullable() })), "a JSON object of currency to { feeMinor, freeFromMinor }").default({ USD: { feeMinor: 499, freeFromMinor: 5000 }, EUR: { feeMinor: 499, freeFromMinor: 5000 }, GBP: { feeMinor: 399, freeFromMinor: 4000 } }),
  /** Orders: how long an order waits for the provider to settle its payment before it is cancelled. */
  ORDER_PAYMENT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(30 * 60),
  /** Orders: the checkout saga's retries of a step whose dependency is unavailable (first delay, doubling; then it compensates). */
  ORDER_SAGA_RETRY_BASE_MS: z.coerce.number().int().min(0).default(2_000),
  ORDER_SAGA_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(4),
});

export type Config = z.infer<typeof configSchema>;
export type Env = Bindings & Record<keyof z.input<typeof configSchema>, string | undefined>;

const cache = new WeakMap<object, Config>();

export function readConfig(env: Env): Config {
  let config = cache.get(env);
  if (!config) {
    const parsed = configSchema.safeParse(env);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid configuration: ${fields}`);
    }
    config = parsed.data;
    cache.set(env, config);
  }
  return config;
}
