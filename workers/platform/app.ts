/**
 * The gateway: one Hono app that mounts every family's routes behind the
 * shared middleware (request context, CORS, security headers, body limit,
 * authentication) and one error envelope. It knows no family: the
 * composition root hands it the list.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { secureHeaders } from "hono/secure-headers";
import { authenticate } from "./auth.ts";
import { noStoreByDefault } from "./cache-policy.ts";
import { platformConfig } from "./config.ts";
import { configGate } from "./config-gate.ts";
import type { AppEnv } from "./context.ts";
import { ApiError, ErrorCode, registerErrors } from "./errors.ts";
import type { Family } from "./family.ts";
import { refuseUnstorableText } from "./input-guard.ts";
import type { JobRegistry } from "./job.ts";
import { bodySizeLimit, corsFromConfig } from "./limits.ts";
import { mountOpenApi } from "./openapi.ts";
import { onError, problemResponse, validationHook } from "./problem-response.ts";
import { requestContext } from "./request-context.ts";
import type { Runtime } from "./runtime.ts";

export interface AppOptions {
  families: readonly Family[];
  /** The publishing strategy for events a request committed to the outbox. */
  relay: (rt: Runtime, eventIds: string[]) => void;
  /** Every family's jobs (the root builds the registry once; the scheduler's cron entry uses the same). */
  jobs: JobRegistry;
}

export function createApp({ families, relay, jobs }: AppOptions): OpenAPIHono<AppEnv> {
  for (const family of families) if (family.errors) registerErrors(family.name, family.errors);
  const resolvers = families.flatMap((f) => (f.tokenResolver ? [f.tokenResolver] : []));

  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("*", requestContext({ relay, jobs }));
  app.use("*", configGate([platformConfig, ...families.flatMap((f) => (f.config ? [f.config] : []))]));
  app.use("*", corsFromConfig);
  app.use("*", secureHeaders({ crossOriginResourcePolicy: "cross-origin", contentSecurityPolicy: undefined }));
  app.use("*", bodySizeLimit);
  app.use("/api/*", noStoreByDefault);
  app.use("*", refuseUnstorableText);
  app.use("/api/*", authenticate(resolvers));
  for (const family of families) for (const middleware of family.gatewayMiddleware ?? []) app.use("/api/*", middleware);

  for (const family of families) {
    for (const [path, routes] of Object.entries(family.routes ?? {})) app.route(path, routes);
  }
  mountOpenApi(app);

  app.notFound((c) => problemResponse(c, new ApiError(ErrorCode.NOT_FOUND, `No route for ${c.req.method} ${c.req.path}`)));
  app.onError(onError);
  return app;
}
