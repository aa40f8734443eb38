/**
 * The gateway's resolver for user access tokens: a valid token becomes a
 * principal whose id is the user id and whose roles come from the token, so
 * `requireRole` works for users on every route family. The signature is
 * checked first (no I/O); then the revocation check (token-status.ts) asks
 * whether the token's session still stands, at most once per
 * REVOCATION_CHECK_TTL_MS per session and isolate.
 */
import type { TokenResolver } from "../platform/auth.ts";
import { dbOf } from "../platform/context.ts";
import { identityConfig } from "./config.ts";
import { tokenStands } from "./token-status.ts";
import { verifyAccessToken } from "./tokens.ts";

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export const resolveAccessToken: TokenResolver = async (token, c) => {
  if (!JWT_SHAPE.test(token)) return null;
  const claims = await verifyAccessToken(c.env, token);
  if (!claims) return null;
  const ttlMs = identityConfig.read(c.env).REVOCATION_CHECK_TTL_MS;
  if (!(await tokenStands(dbOf(c), { userId: claims.sub, sessionId: claims.sid, roles: claims.roles }, ttlMs))) return null;
  return { id: claims.sub, kind: "user", roles: claims.roles };
};
