/** OpenAPI 3.1 generated from the route schemas, and the API reference page over it (api-reference-page.ts). */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { apiReferencePage } from "./api-reference-page.ts";
import { platformConfig } from "./config.ts";
import type { AppEnv } from "./context.ts";
import { completeDocument, type OpenApiDocument } from "./openapi-completion.ts";

type Operation = { responses?: Record<string, unknown> };
type Document = { paths?: Record<string, Record<string, Operation>> };

/** Routes that never reach the database, so never answer DATABASE_UNAVAILABLE. */
const WITHOUT_DATABASE = new Set(["/api/health/live"]);

const WRITES = new Set(["post", "put", "patch", "delete"]);
/** Every staff write is recorded in the audit trail before it runs (workers/audit/staff-actions.ts), or refused. */
const STAFF_AUDIT_503 =
  "A write by a member of staff also answers 503 STAFF_AUDIT_UNAVAILABLE when its attempt could not be recorded in the audit trail: it was refused before the route ran, nothing was done (docs/console.md).";

/**
 * Any route that reaches Postgres answers 503 DATABASE_UNAVAILABLE with
 * Retry-After when the database cannot answer (db-errors.ts): the gateway
 * does it for every route, so the document says it once for all of them.
 */
function withDatabaseUnavailable<D extends Document>(doc: D): D {
  const response = {
    description: `The database is unavailable (code DATABASE_UNAVAILABLE): nothing was done; try again after Retry-After seconds. See docs/degraded-mode.md. ${STAFF_AUDIT_503} In development and tests, also a fault a staff caller injected with the X-Fault-Inject header (code FAULT_INJECTED; docs/operability.md).`,
    headers: { "Retry-After": { description: "Seconds to wait before trying again", schema: { type: "integer" } } },
    content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
  };
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    if (WITHOUT_DATABASE.has(path)) continue;
    for (const [method, operation] of Object.entries(operations)) {
      if (!operation.responses) continue;
      const own = operation.responses["503"] as { description?: string } | undefined;
      if (!own) operation.responses["503"] = response;
      else if (WRITES.has(method))
        operation.responses["503"] = { ...own, description: `${own.description ?? ""} ${STAFF_AUDIT_503}`.trim() };
    }
  }
  return doc;
}

/** Paths the gateway never rate-limits (workers/monitoring/rate-limit-budgets.ts): health probes and signed webhooks. */
const NOT_RATE_LIMITED = /^\/api\/(health(\/|$)|[a-z]+\/webhooks\/)/;

/**
 * Every other operation can answer 429 RATE_LIMITED with Retry-After, and
 * carries the IETF draft's RateLimit-Policy and RateLimit fields
 * (docs/operability.md): the document says it once for all of them.
 */
function withRateLimits<D extends Document>(doc: D): D {
  const fields = {
    "RateLimit-Policy": { description: 'The route class\'s quota and window, e.g. `"browse";q=600;w=60`', schema: { type: "string" } },
    RateLimit: { description: 'Requests left and seconds to the reset, e.g. `"checkout";r=3;t=41`', schema: { type: "string" } },
  };
  const response = {
    description: "Too many requests of this route class from this caller (code RATE_LIMITED): try again after Retry-After seconds.",
    headers: { "Retry-After": { description: "Seconds to wait before trying again", schema: { type: "integer" } }, ...fields },
    content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
  };
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    if (NOT_RATE_LIMITED.test(path)) continue;
    for (const operation of Object.values(operations)) {
      if (operation.responses && !operation.responses["429"]) operation.responses["429"] = response;
    }
  }
  return doc;
}

export function mountOpenApi(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT or operations token",
  });
  app.get("/api/openapi.json", (c) => {
    const productionUrl = platformConfig.read(c.env).API_PUBLIC_URL;
    const doc = app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "Edge Commerce API",
        version: "0.1.0",
        description: "Edge-native e-commerce backend. Errors are RFC 9457 problem+json with a stable `code` and the request id.",
        contact: { name: "Edge Commerce API", url: new URL("/api/docs", productionUrl).href },
        license: { name: "Proprietary", url: new URL("/api/docs", productionUrl).href },
      },
    });
    const completed = completeDocument(withRateLimits(withDatabaseUnavailable(doc as unknown as Document)) as OpenApiDocument, {
      productionUrl,
      requestOrigin: new URL(c.req.url).origin,
    });
    return c.json(completed);
  });
  app.get("/api/docs", apiReferencePage("/api/openapi.json"));
}
