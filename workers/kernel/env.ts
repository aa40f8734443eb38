/**
 * The one typed environment. Bindings are typed by hand from wrangler.toml;
 * vars and secrets are parsed with zod once per isolate, so a missing or
 * malformed setting fails loudly at the first request instead of deep inside
 * a handler.
 */
import { z } from "zod";
import type { JobLease } from "../../durable-objects/job-lease/job-lease.ts";

export interface Bindings {
  JOB_LEASE: DurableObjectNamespace<JobLease>;
  Q_NOTIFICATIONS: Queue;
  Q_AUDIT: Queue;
  Q_PIPELINE: Queue;
  Q_SEARCH: Queue;
  DLQ_NOTIFICATIONS: Queue;
  DLQ_AUDIT: Queue;
  DLQ_PIPELINE: Queue;
  DLQ_SEARCH: Queue;
  BACKUPS: R2Bucket;
}

const csv = z
  .string()
  .default("")
  .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean));

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
  /** Enables database-driven fault injection points; never set in production. */
  FAULT_INJECTION: z.enum(["on", "off"]).default("off"),
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
