/**
 * The gateway's resolver for user access tokens: a valid token becomes a
 * principal whose id is the user id and whose roles come from the token, so
 * `requireRole` works for users on every route family. Access tokens are
 * verified without a database round trip; they live 15 minutes, and
 * revocation acts on the refresh side.
 */
import type { TokenResolver } from "../platform/auth.ts";
import { verifyAccessToken } from "./tokens.ts";

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export const resolveAccessToken: TokenResolver = async (token, c) => {
  if (!JWT_SHAPE.test(token)) return null;
  const claims = await verifyAccessToken(c.env, token);
  return claims ? { id: claims.sub, kind: "user", roles: claims.roles } : null;
};
