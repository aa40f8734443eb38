/** OpenAPI 3.1 generated from the route schemas, and an interactive docs page. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import type { AppEnv } from "./context.ts";

export function mountOpenApi(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT or operations token",
  });
  app.doc31("/api/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "Edge Commerce API",
      version: "0.1.0",
      description: "Edge-native e-commerce backend. Errors are RFC 9457 problem+json with a stable `code` and the request id.",
    },
    servers: [{ url: new URL(c.req.url).origin }],
  }));
  app.get("/api/docs", Scalar({ url: "/api/openapi.json", pageTitle: "Edge Commerce API" }));
}
