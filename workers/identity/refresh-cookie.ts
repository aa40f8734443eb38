/**
 * Browser sessions (the merchant console): instead of handing the refresh
 * token to script, sign-in puts it in an HttpOnly, Secure, SameSite=Strict
 * cookie that only the refresh route receives, so script on the page never
 * holds it. A second, readable cookie carries a random CSRF token that the
 * page echoes in `X-CSRF-Token` (double submit): a forged cross-site request
 * can neither send the cookie (SameSite) nor read the token to echo it.
 * Clients opt in per sign-in with `X-Refresh-Cookie: 1`; without it nothing changes.
 */
import { z } from "@hono/zod-openapi";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppContext } from "../platform/context.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import { randomToken } from "./crypto.ts";
import { IdentityErrors } from "./errors.ts";

export const REFRESH_COOKIE = "ec_refresh";
export const CSRF_COOKIE = "ec_csrf";
export const REFRESH_COOKIE_PATH = "/api/auth/refresh";

export const CookieOptInHeaders = z.object({
  "x-refresh-cookie": z
    .literal("1")
    .optional()
    .openapi({ description: "Send 1 to receive the refresh token as an HttpOnly cookie (and an empty `refreshToken`) instead" }),
});

export const CsrfHeaders = z.object({
  "x-csrf-token": z
    .string()
    .max(256)
    .optional()
    .openapi({ description: "Required when the refresh token comes from the cookie: the value of the `ec_csrf` cookie" }),
});

export function wantsRefreshCookie(c: AppContext): boolean {
  return c.req.header("x-refresh-cookie") === "1";
}

interface Issued {
  refreshToken: string;
  refreshExpiresAt: string;
}

/** Puts the refresh token in its cookie (with a fresh CSRF token) and takes it out of the body. */
export function keepRefreshInCookie<T extends Issued>(c: AppContext, tokens: T): T {
  const expires = new Date(tokens.refreshExpiresAt);
  const common = { secure: true, sameSite: "Strict" as const, expires };
  setCookie(c, REFRESH_COOKIE, tokens.refreshToken, { ...common, httpOnly: true, path: REFRESH_COOKIE_PATH });
  setCookie(c, CSRF_COOKIE, randomToken("csrf"), { ...common, path: "/" });
  return { ...tokens, refreshToken: "" };
}

/** The refresh token of the cookie, once the request proves it comes from a page of this origin. */
export function refreshTokenFromCookie(c: AppContext): string {
  const token = getCookie(c, REFRESH_COOKIE);
  if (!token) throw new ApiError(IdentityErrors.INVALID_REFRESH_TOKEN, "Send the refresh token in the body, or sign in again");
  const csrf = getCookie(c, CSRF_COOKIE);
  const echoed = c.req.header("x-csrf-token");
  if (!csrf || !echoed || csrf !== echoed)
    throw new ApiError(ErrorCode.FORBIDDEN, "The X-CSRF-Token header must repeat the ec_csrf cookie of this session");
  return token;
}

/** Ends the browser session's cookies (after sign-out, or a refresh token that no longer works). */
export function clearRefreshCookie(c: AppContext): void {
  deleteCookie(c, REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH, secure: true, sameSite: "Strict", httpOnly: true });
  deleteCookie(c, CSRF_COOKIE, { path: "/", secure: true, sameSite: "Strict" });
}
