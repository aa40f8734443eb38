/**
 * Configuration: each family declares the vars and secrets it reads as a
 * zod object (`defineConfig`) and reads them with `config.read(rt)`. The
 * vars are parsed once per runtime and section, so a missing or malformed
 * setting fails loudly, naming the setting, at the first use; the
 * composition root also checks every section when the Worker starts
 * (`checkConfig`).
 */
import { z } from "zod";
import type { Runtime } from "./runtime.ts";

export interface ConfigSection<S extends z.ZodObject = z.ZodObject> {
  /** Who reads these settings, for error messages and the configuration reference. */
  readonly owner: string;
  readonly schema: S;
  read(rt: Pick<Runtime, "vars">): z.output<S>;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export function defineConfig<S extends z.ZodObject>(owner: string, schema: S): ConfigSection<S> {
  const parsed = new WeakMap<object, z.output<S>>();
  return {
    owner,
    schema,
    read(rt) {
      let value = parsed.get(rt.vars);
      if (value === undefined) {
        const result = schema.safeParse(rt.vars);
        if (!result.success) {
          const fields = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
          throw new ConfigError(`Invalid configuration (${owner}): ${fields}`);
        }
        value = result.data;
        parsed.set(rt.vars, value);
      }
      return value;
    },
  };
}

/** Every section's problems, one line each; empty when the configuration is valid. */
export function checkConfig(sections: readonly ConfigSection[], rt: Pick<Runtime, "vars">): string[] {
  const problems: string[] = [];
  for (const section of sections) {
    try {
      section.read(rt);
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  return problems;
}

/** A comma-separated list. */
export const csvVar = z
  .string()
  .default("")
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  );

/** A var or secret holding JSON, checked against `schema`. */
export function jsonVar<T extends z.ZodType>(schema: T, what: string) {
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
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ");
    ctx.addIssue({ code: "custom", message: `must be ${what}: ${issues}` });
    return z.NEVER;
  });
}

const LOG_LEVEL_ENUM = z.enum(["debug", "info", "warn", "error"]);

/** The settings of the platform itself: database, HTTP limits, logs, queues, the operations token. */
export const platformConfig = defineConfig(
  "platform",
  z.object({
    APP_ENV: z.enum(["development", "test", "production"]).default("production"),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection string"),
    /** Local only: `host:port/v2` of the wsproxy relay in front of a plain Postgres. Unset on Neon. */
    NEON_WSPROXY: z.string().optional(),
    /**
     * How statements outside a transaction reach Postgres: `http` (one fetch each to the
     * SQL-over-HTTP endpoint, which keeps its sessions open) or `session` (a WebSocket
     * session of the request's own). Transactions always use a session.
     */
    DATABASE_QUERY_PATH: z.enum(["http", "session"]).default("http"),
    /** Longest wait for a database session (WebSocket and Postgres start-up); docs/degraded-mode.md explains the choice. */
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
    /** Longest wait for one statement's answer (an SQL-over-HTTP request, or a statement on a session). */
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8000),
    /** The Retry-After of a 503 DATABASE_UNAVAILABLE answer. */
    DATABASE_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
    /** The oldest last-good copy of a public read (catalogue, search) served while the database is unavailable. */
    LAST_GOOD_MAX_AGE_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(86_400),
    CORS_ORIGINS: csvVar,
    MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_048_576),
    QUEUE_RETRY_BASE_SECONDS: z.coerce.number().min(0).default(5),
    /** Bearer token of the operations principal (role admin) for machine access. */
    OPS_TOKEN: z.string().min(24).optional(),
    LOG_LEVEL: LOG_LEVEL_ENUM.default("info"),
    /** Levels by area, the first segment of a log message: `{"orders":"debug","consumer":"warn"}` (docs/operability.md). */
    LOG_LEVELS: jsonVar(z.record(z.string(), LOG_LEVEL_ENUM), "a JSON object of area to level").default({}),
    /** Share of debug lines written (0 to 1), kept or dropped per request id. */
    LOG_DEBUG_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(1),
    /** Answer each request's round trips (statements, transactions, sessions, object calls) in `Server-Timing`. */
    COST_HEADERS: z.enum(["on", "off"]).default("off"),
    /** Base URL of the web shop, for links in customer messages and tracking pages. */
    STOREFRONT_URL: z.url().default("http://localhost:5173"),
    /** RED metrics of every request (registry and Analytics Engine); `off` only to measure their cost. */
    REQUEST_METRICS: z.enum(["on", "off"]).default("on"),
    /**
     * Tracing (docs/operability.md): the OTLP/HTTP base URL spans are posted to (`{url}/v1/traces`).
     * Unset, tracing is off and no span is built.
     */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    /** Headers of the export (a collector's credentials), OpenTelemetry's `key=value,key2=value2` form; a secret. */
    OTEL_EXPORTER_OTLP_HEADERS: z
      .string()
      .default("")
      .transform((s, ctx) => {
        const headers: Record<string, string> = {};
        for (const pair of s.split(",").filter((p) => p.trim())) {
          const at = pair.indexOf("=");
          if (at <= 0) {
            ctx.addIssue({ code: "custom", message: "must be key=value pairs separated by commas" });
            return z.NEVER;
          }
          headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
        }
        return headers;
      }),
    /** The `service.name` of exported spans. */
    OTEL_SERVICE_NAME: z.string().min(1).default("edge-commerce"),
    /** Share of traces recorded where a trace starts (0 to 1); an incoming traceparent's sampled flag wins. */
    TRACE_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0.1),
    /** Enables database-driven fault injection points; refused with APP_ENV=production (faults.ts). */
    FAULT_INJECTION: z.enum(["on", "off"]).default("off"),
    /** The production API's https origin: the first server of the OpenAPI document, for generated clients. */
    /** The shop's currency (ISO 4217): what a report means when a request names none. */
    SHOP_CURRENCY: z
      .string()
      .regex(/^[A-Z]{3}$/, "an ISO 4217 code")
      .default("USD"),
    API_PUBLIC_URL: z.url({ protocol: /^https$/ }).default("https://api.edge-commerce.example"),
    // Resilience around the providers (workers/platform/resilience/, docs/operability.md).
    /** A provider's circuit opens after this many failed calls in a row. */
    CIRCUIT_FAILURES_IN_A_ROW: z.coerce.number().int().min(1).max(1000).default(5),
    /** ... or when at least CIRCUIT_MIN_CALLS calls in CIRCUIT_WINDOW_SECONDS failed at this ratio or more. */
    CIRCUIT_FAILURE_RATIO: z.coerce.number().gt(0).max(1).default(0.5),
    CIRCUIT_MIN_CALLS: z.coerce.number().int().min(1).max(100_000).default(20),
    CIRCUIT_WINDOW_SECONDS: z.coerce.number().min(1).max(3600).default(60),
    /** How long an open circuit refuses calls before one probe is let through. */
    CIRCUIT_COOL_DOWN_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
    /** How long an isolate trusts its copy of a circuit's state before asking the shared object again. */
    CIRCUIT_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    /** Calls to one provider at once per isolate (the bulkhead); more are refused at once. */
    PROVIDER_MAX_CONCURRENT_CALLS: z.coerce.number().int().min(1).max(1000).default(16),
  }),
);
