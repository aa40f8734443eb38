/**
 * The gateway: one Hono app that mounts every route family at
 * /api/<family> behind the shared middleware (request context, CORS,
 * security headers, body limit, authentication) and one error envelope.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { secureHeaders } from "hono/secure-headers";
import { auditRoutes } from "../audit/routes.ts";
import { resolveAccessToken } from "../auth/resolver.ts";
import { authRoutes } from "../auth/routes.ts";
import { healthRoutes } from "../health/routes.ts";
import { inventoryRoutes } from "../inventory/routes.ts";
import { cartRoutes } from "../cart/routes.ts";
import { authenticate, registerTokenResolver } from "./auth.ts";
import type { AppEnv } from "./context.ts";
import { ApiError, ErrorCode } from "./errors.ts";
import { pipelineRoutes } from "../pipeline/routes.ts";
import { analyticsRoutes } from "../analytics/routes.ts";
import { mediaRoutes, productsRoutes } from "../products/routes.ts";
import { schedulerRoutes } from "../scheduler/routes.ts";
import { searchRoutes } from "../search/routes.ts";
import { usersRoutes } from "../users/routes.ts";
import { notificationsRoutes } from "../notifications/routes.ts";
import { reviewsRoutes } from "../reviews/routes.ts";
import { paymentsRoutes } from "../payments/routes.ts";
import { deliveryRoutes } from "../delivery/routes.ts";
import { ordersRoutes } from "../orders/routes.ts";
import { onError, problemResponse, validationHook } from "./problem-response.ts";
import { bodySizeLimit, corsFromConfig } from "./middleware/limits.ts";
import { requestContext } from "./middleware/request-context.ts";
import { mountOpenApi } from "./openapi.ts";

// User access tokens (JWTs issued by the auth family) become principals on every route.
registerTokenResolver(resolveAccessToken);

export function createApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("*", requestContext);
  app.use("*", corsFromConfig);
  app.use("*", secureHeaders({ crossOriginResourcePolicy: "cross-origin", contentSecurityPolicy: undefined }));
  app.use("*", bodySizeLimit);
  app.use("/api/*", authenticate);

  app.route("/api/health", healthRoutes);
  app.route("/api/pipeline", pipelineRoutes);
  app.route("/api/analytics", analyticsRoutes);
  app.route("/api/scheduler", schedulerRoutes);
  app.route("/api/products", productsRoutes);
  app.route("/api/media", mediaRoutes);
  app.route("/api/search", searchRoutes);
  app.route("/api/audit", auditRoutes);
  app.route("/api/inventory", inventoryRoutes);
  app.route("/api/cart", cartRoutes);
  app.route("/api/users", usersRoutes);
  app.route("/api/auth", authRoutes);
  app.route("/api/notifications", notificationsRoutes);
  app.route("/api/reviews", reviewsRoutes);
  app.route("/api/payments", paymentsRoutes);
  app.route("/api/delivery", deliveryRoutes);
  app.route("/api/orders", ordersRoutes);
  mountOpenApi(app);

  app.notFound((c) => problemResponse(c, new ApiError(404, ErrorCode.NOT_FOUND, `No route for ${c.req.method} ${c.req.path}`)));
  app.onError(onError);
  return app;
}
