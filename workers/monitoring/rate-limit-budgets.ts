/**
 * The gateway's rate limits in one table: every request belongs to a route
 * class, and each class has a budget per caller (a signed-in user or API
 * key, else the client address) per window. Pure: the middleware
 * (rate-limit.ts) enforces what these functions decide.
 */
import type { Principal, Role } from "../platform/context.ts";

export const ROUTE_CLASSES = ["browse", "search", "cart", "checkout", "auth", "admin"] as const;
export type RouteClass = (typeof ROUTE_CLASSES)[number];

export interface Budget {
  /** Requests per window per caller (a customer's budget; staff roles get ROLE_FACTOR times it). */
  limit: number;
  /** Cloudflare's rate-limiting binding counts over 10 or 60 seconds, so budgets use those windows. */
  windowSeconds: 10 | 60;
  /**
   * Exact budgets are counted by a RateLimiter object per caller and class (one
   * call per request, strongly consistent); the others by the runtime's coarse
   * limiter when bound (per location, approximate, no extra round trip).
   */
  exact: boolean;
}

/** The one table. Environments override it with RATE_LIMIT_BUDGETS (docs/operability.md). */
export const BUDGETS: Readonly<Record<RouteClass, Budget>> = {
  browse: { limit: 600, windowSeconds: 60, exact: false },
  search: { limit: 120, windowSeconds: 60, exact: false },
  cart: { limit: 240, windowSeconds: 60, exact: false },
  checkout: { limit: 20, windowSeconds: 60, exact: true },
  auth: { limit: 60, windowSeconds: 60, exact: false },
  admin: { limit: 1200, windowSeconds: 60, exact: false },
};

/** The coarse limiter binding of a class (wrangler.toml [[ratelimits]], declared with the table's numbers). */
export const coarseBinding = (routeClass: RouteClass) => `RL_${routeClass.toUpperCase()}`;

/** How many times a customer's budget a caller gets: staff and machine clients work in bulk. */
const ROLE_FACTOR: Record<Role, number> = { customer: 1, support: 4, analyst: 4, admin: 4 };
const SERVICE_FACTOR = 10;

/** Families only staff use: their traffic is the admin class whatever the method. */
const STAFF_PREFIXES = [
  "/api/scheduler",
  "/api/pipeline",
  "/api/audit",
  "/api/analytics",
  "/api/reports",
  "/api/backups",
  "/api/metrics",
  "/api/slos",
];
const AUTH_PATHS = /^\/api\/(auth(\/|$)|users\/(register|login|verify-email|forgot-password|reset-password|change-password)(\/|$))/;
/** Writes that start or pay for an order, and promotion redemption: exact budgets. */
const CHECKOUT_WRITES = /^\/api\/(orders(\/[^/]+\/confirm)?|payments(\/[^/]+)?|cart\/(checkout|promotions?|coupons?)(\/.*)?)$/;
/**
 * Never limited: health probes of load balancers and monitors, and providers'
 * signed webhooks (a provider's bursts come from few addresses; the signature
 * check refuses forgeries before any work).
 */
const EXEMPT = /^\/api\/(health(\/|$)|[a-z]+\/webhooks\/)/;

const startsWith = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** The class of a request, or null when it is not limited. */
export function routeClassOf(method: string, path: string): RouteClass | null {
  if (EXEMPT.test(path) || method === "OPTIONS") return null;
  if (STAFF_PREFIXES.some((p) => startsWith(path, p))) return "admin";
  if (AUTH_PATHS.test(path)) return "auth";
  const write = method !== "GET" && method !== "HEAD";
  if (write && CHECKOUT_WRITES.test(path)) return "checkout";
  if (startsWith(path, "/api/search")) return "search";
  // The cart, and every other shopper write (reviews, addresses, returns, subscriptions), share the cart budget.
  if (startsWith(path, "/api/cart") || write) return "cart";
  return "browse";
}

/** Whom a request is counted against: the user or API key when signed in, else the client address. */
export function callerKey(principal: Principal | null, addressBucket: string): string {
  if (!principal) return `addr:${addressBucket}`;
  return `${principal.kind}:${principal.id}`;
}

/** The caller's limit in a class: the budget times the largest factor of its roles. */
export function callerLimit(budget: Budget, principal: Principal | null): number {
  if (!principal) return budget.limit;
  const factor = principal.kind === "service" ? SERVICE_FACTOR : Math.max(1, ...principal.roles.map((r) => ROLE_FACTOR[r]));
  return budget.limit * factor;
}

/** Seconds until a clock-aligned window rolls over (how the coarse limiter counts). */
export function secondsToAlignedReset(nowMs: number, windowSeconds: number): number {
  const windowMs = windowSeconds * 1000;
  return Math.max(1, Math.ceil((windowMs - (nowMs % windowMs)) / 1000));
}

/**
 * The IETF draft's fields (draft-ietf-httpapi-ratelimit-headers): the policy
 * always, the remaining quota and its reset when they are known.
 */
export function rateLimitHeaders(
  routeClass: RouteClass,
  limit: number,
  windowSeconds: number,
  state?: { remaining: number; resetSeconds: number },
): Record<string, string> {
  const headers: Record<string, string> = { "ratelimit-policy": `"${routeClass}";q=${limit};w=${windowSeconds}` };
  if (state) headers.ratelimit = `"${routeClass}";r=${Math.max(0, state.remaining)};t=${Math.max(0, state.resetSeconds)}`;
  return headers;
}
