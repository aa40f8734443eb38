/** Request body size limit (413 problem) and CORS from the configured allow-list. */

import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import { platformConfig } from "./config.ts";
import type { AppEnv } from "./context.ts";
import { ApiError, ErrorCode } from "./errors.ts";

const limiters = new Map<number, MiddlewareHandler>();

export const bodySizeLimit = createMiddleware<AppEnv>((c, next) => {
  const max = platformConfig.read(c.env).MAX_BODY_BYTES;
  let limiter = limiters.get(max);
  if (!limiter) {
    limiter = bodyLimit({
      maxSize: max,
      onError: () => {
        throw new ApiError(ErrorCode.PAYLOAD_TOO_LARGE, `The request body exceeds ${max} bytes`);
      },
    });
    limiters.set(max, limiter);
  }
  return limiter(c, next);
});

export const corsFromConfig = createMiddleware<AppEnv>((c, next) => {
  const allowed = platformConfig.read(c.env).CORS_ORIGINS;
  return cors({
    origin: (origin) => (allowed.includes(origin) ? origin : null),
    allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "If-Match", "If-None-Match", "X-Request-Id", "traceparent"],
    exposeHeaders: ["X-Request-Id", "traceparent", "ETag", "Location", "Retry-After"],
    maxAge: 600,
    credentials: false,
  })(c, next);
});
