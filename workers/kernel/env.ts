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
  /** Cart: idle time after which a cart expires (CartAbandoned), its line count and the quantity of one line. */
  CART_IDLE_TTL_SECONDS: z.coerce.number().int().min(60).default(7 * 24 * 3600),
  CART_MAX_LINES: z.coerce.number().int().min(1).max(500).default(50),
  CART_MAX_QUANTITY: z.coerce.number().int().min(1).max(10_000).default(99),
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
