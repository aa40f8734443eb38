/**
 * The gateway's rate limits: after authentication, each request is counted
 * against its route class's budget for its caller (rate-limit-budgets.ts).
 * Exact classes ask the caller's RateLimiter object; coarse classes ask the
 * runtime's coarse limiter (Cloudflare's rate-limiting binding) when one is
 * bound, else the object. Answers carry the IETF draft's RateLimit-Policy
 * and RateLimit fields; a refusal is a 429 problem with Retry-After.
 */

import { createMiddleware } from "hono/factory";
import type { RateLimiter } from "../../durable-objects/rate-limiter/index.ts";
import { clientAddress } from "../identity/index.ts";
import type { AppEnv } from "../platform/context.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import { counter } from "../platform/metrics.ts";
import type { Runtime } from "../platform/runtime.ts";
import { monitoringConfig } from "./config.ts";
import {
  BUDGETS,
  type Budget,
  callerKey,
  callerLimit,
  coarseBinding,
  type RouteClass,
  rateLimitHeaders,
  routeClassOf,
  secondsToAlignedReset,
} from "./rate-limit-budgets.ts";

const rateLimitedTotal = counter("rate_limited_total", "Requests refused with 429 by route class");

interface Verdict {
  allowed: boolean;
  headers: Record<string, string>;
  retryAfterSeconds: number;
}

async function exactVerdict(rt: Runtime, routeClass: RouteClass, key: string, limit: number, budget: Budget): Promise<Verdict> {
  const limiter = rt.objects.get<RateLimiter>("RATE_LIMITER", `${routeClass}|${key}`);
  const d = await limiter.take(limit, budget.windowSeconds * 1000);
  const resetSeconds = Math.ceil(d.resetMs / 1000);
  return {
    allowed: d.allowed,
    headers: rateLimitHeaders(routeClass, limit, budget.windowSeconds, { remaining: d.remaining, resetSeconds }),
    retryAfterSeconds: Math.max(1, resetSeconds),
  };
}

export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const settings = monitoringConfig.read(c.env);
  const routeClass = settings.RATE_LIMITS === "on" ? routeClassOf(c.req.method, c.req.path) : null;
  if (!routeClass) return next();
  const override = settings.RATE_LIMIT_BUDGETS[routeClass];
  const budget: Budget = override ? { ...BUDGETS[routeClass], exact: true, ...override } : BUDGETS[routeClass];
  const principal = c.get("principal");
  const key = callerKey(principal, clientAddress(c));
  const limit = callerLimit(budget, principal);
  // The binding counts the customer budget of wrangler.toml; callers with a larger one (staff, machines) are counted exactly.
  const coarse = budget.exact || limit !== budget.limit ? undefined : c.env.operability?.coarseLimiter(coarseBinding(routeClass));

  let verdict: Verdict;
  if (coarse) {
    const { success } = await coarse.limit({ key });
    const retryAfterSeconds = secondsToAlignedReset(Date.now(), budget.windowSeconds);
    verdict = {
      allowed: success,
      headers: rateLimitHeaders(
        routeClass,
        budget.limit,
        budget.windowSeconds,
        success ? undefined : { remaining: 0, resetSeconds: retryAfterSeconds },
      ),
      retryAfterSeconds,
    };
  } else {
    verdict = await exactVerdict(c.env, routeClass, key, limit, budget);
  }

  if (!verdict.allowed) {
    rateLimitedTotal.inc({ class: routeClass });
    throw new ApiError(ErrorCode.RATE_LIMITED, `Too many ${routeClass} requests; try again in ${verdict.retryAfterSeconds} seconds`, {
      headers: { ...verdict.headers, "retry-after": String(verdict.retryAfterSeconds) },
      retryAfterSeconds: verdict.retryAfterSeconds,
      routeClass,
    });
  }
  await next();
  for (const [name, value] of Object.entries(verdict.headers)) c.header(name, value);
});
