/** Pieces the auth route files share: problem responses beyond the kernel's, and the request scope of a proven user. */
import type { AppContext } from "../platform/context.ts";
import { ProblemSchema } from "../platform/http-schemas.ts";
import { type Scope, scopeOf } from "../platform/scope.ts";

const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ProblemSchema } } });

export const authProblems = {
  400: problem("The token or code is not valid, expired or already used"),
  429: problem("Too many attempts; see Retry-After"),
  503: problem("Sign-in is not configured on this server"),
} as const;

export const security = [{ bearer: [] }];

/**
 * The scope of a request made on behalf of `userId`: sign-in routes carry no
 * bearer token, so the actor of their events is known only once a credential
 * is proven.
 */
export function scopeFor(c: AppContext, userId?: string): Scope {
  const scope = scopeOf(c);
  return userId && !scope.actor ? { ...scope, actor: { type: "user", id: userId } } : scope;
}
