/** OpenAPI 3.1 generated from the route schemas, and an interactive docs page. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import { platformConfig } from "./config.ts";
import type { AppEnv } from "./context.ts";
import { completeDocument, type OpenApiDocument } from "./openapi-completion.ts";

type Operation = { responses?: Record<string, unknown> };
type Document = { paths?: Record<string, Record<string, Operation>> };

/** Routes that never reach the database, so never answer DATABASE_UNAVAILABLE. */
const WITHOUT_DATABASE = new Set(["/api/health/live"]);

/**
 * Any route that reaches Postgres answers 503 DATABASE_UNAVAILABLE with
 * Retry-After when the database cannot answer (db-errors.ts): the gateway
 * does it for every route, so the document says it once for all of them.
 */
function withDatabaseUnavailable<D extends Document>(doc: D): D {
  const response = {
    description:
      "The database is unavailable (code DATABASE_UNAVAILABLE): nothing was done; try again after Retry-After seconds. See docs/degraded-mode.md.",
    headers: { "Retry-After": { description: "Seconds to wait before trying again", schema: { type: "integer" } } },
    content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
  };
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    if (WITHOUT_DATABASE.has(path)) continue;
    for (const operation of Object.values(operations)) {
      if (operation.responses && !operation.responses["503"]) operation.responses["503"] = response;
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
    const completed = completeDocument(withDatabaseUnavailable(doc as unknown as Document) as OpenApiDocument, {
      productionUrl,
      requestOrigin: new URL(c.req.url).origin,
    });
    return c.json(completed);
  });
  app.get("/api/docs", Scalar({ url: "/api/openapi.json", pageTitle: "Edge Commerce API" }));
}
