/**
 * Authentication and role guards. The gateway resolves the bearer token to a
 * principal; routes declare what they need with `requireRole`. The
 * operations token (a secret) is a service principal with the admin role for
 * machine access; user JWTs are resolved by the identity family.
 */
import { createMiddleware } from "hono/factory";
import { platformConfig } from "./config.ts";
import type { AppContext, AppEnv, Principal, Role } from "./context.ts";
import { ApiError, ErrorCode } from "./errors.ts";

/** Constant-time comparison, so a token cannot be guessed byte by byte from timings. */
export function safeEqual(a: string, b: string): boolean {
  const enc = new TextEncoder();
  const x = enc.encode(a);
  const y = enc.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

export type TokenResolver = (token: string, c: AppContext) => Promise<Principal | null>;

const unauthorized = (detail: string) =>
  new ApiError(ErrorCode.UNAUTHORIZED, detail, { headers: { "www-authenticate": 'Bearer realm="api"' } });

/** Bearer authentication: the operations token, else each family's token resolver (identity's JWTs) in turn. */
export const authenticate = (resolvers: readonly TokenResolver[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("authorization");
    if (header) {
      const [scheme, token] = header.split(" ", 2);
      if (scheme?.toLowerCase() !== "bearer" || !token) throw unauthorized("Use the Bearer authorization scheme");
      const opsToken = platformConfig.read(c.env).OPS_TOKEN;
      let principal: Principal | null = null;
      if (opsToken && safeEqual(token, opsToken)) principal = { id: "ops", kind: "service", roles: ["admin"] };
      for (const resolve of resolvers) {
        if (principal) break;
        principal = await resolve(token, c);
      }
      if (!principal) throw unauthorized("The bearer token is not valid");
      c.set("principal", principal);
    }
    await next();
  });

/** Whether the caller holds one of the roles: the one role test, for guards and for what a route shows. */
export function hasRole(principal: Principal | null | undefined, ...roles: readonly Role[]): boolean {
  return principal?.roles.some((r) => roles.includes(r)) ?? false;
}

export function requireRole(...roles: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get("principal");
    if (!principal) throw unauthorized("This endpoint needs a bearer token");
    if (!hasRole(principal, ...roles)) throw new ApiError(ErrorCode.FORBIDDEN, `Requires one of the roles: ${roles.join(", ")}`);
    await next();
  });
}
