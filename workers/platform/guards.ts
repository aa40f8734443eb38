/**
 * Ownership guards, beside `requireRole`: a resource belongs to one user,
 * and staff roles may act on others'. A caller who may not even see the
 * resource gets 404, so ids of other users' things are never confirmed.
 */
import { createMiddleware } from "hono/factory";
import { hasRole } from "./auth.ts";
import type { AppEnv, Principal, Role } from "./context.ts";
import { ApiError, ErrorCode, notFound } from "./errors.ts";

const unauthenticated = () =>
  new ApiError(ErrorCode.UNAUTHORIZED, "This endpoint needs a bearer token", { headers: { "www-authenticate": 'Bearer realm="api"' } });

export interface OwnershipRule {
  /** Roles that may act on anyone's resource. */
  roles: Role[];
  /** Roles that may see others' resources but not act on them: they get 403 instead of 404. */
  visibleTo?: Role[];
  /** Name of the resource in the 404. */
  what?: string;
}

/** Throws unless `principal` owns the resource or holds one of the rule's roles. */
export function assertOwnerOrRole(principal: Principal | null, ownerId: string, rule: OwnershipRule): Principal {
  if (!principal) throw unauthenticated();
  if (principal.kind === "user" && principal.id === ownerId) return principal;
  if (hasRole(principal, ...rule.roles)) return principal;
  if (hasRole(principal, ...(rule.visibleTo ?? [])))
    throw new ApiError(ErrorCode.FORBIDDEN, `Requires one of the roles: ${rule.roles.join(", ")}`);
  throw notFound(rule.what);
}

/** Route guard: the path parameter `param` names the caller themselves, or the caller holds one of the roles. */
export function requireSelfOrRole(param: string, rule: OwnershipRule) {
  return createMiddleware<AppEnv>(async (c, next) => {
    assertOwnerOrRole(c.get("principal"), c.req.param(param) ?? "", rule);
    await next();
  });
}

/** Route guard: the caller is a signed-in user (not a service token). */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const principal = c.get("principal");
  if (!principal) throw unauthenticated();
  if (principal.kind !== "user")
    throw new ApiError(ErrorCode.USER_TOKEN_REQUIRED, "This endpoint acts for a signed-in user; use a user access token");
  await next();
});
