/**
 * Which cart a request is about. A signed-in user's cart is the object named
 * `user:<userId>`; a guest's is named by an unguessable token (128 random
 * bits) in an HttpOnly, Secure, SameSite=Lax cookie, set on the first write.
 * A request carrying both a user token and a guest cookie first merges the
 * guest cart into the user's, then clears the cookie.
 */
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { type Cart, type CartCaller, cartConfig, type MergeAdjustment } from "../../durable-objects/cart/index.ts";
import type { AppContext } from "../platform/context.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import type { Runtime } from "../platform/runtime.ts";

export const CART_COOKIE = "cart_id";
const COOKIE_PATH = "/api/cart";
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export const userCart = (rt: Pick<Runtime, "objects">, userId: string) => rt.objects.get<Cart>("CART", `user:${userId}`);
export const guestCart = (rt: Pick<Runtime, "objects">, token: string) => rt.objects.get<Cart>("CART", `guest:${token}`);
export type CartStub = ReturnType<typeof userCart>;

/** 128 random bits, base64url without padding. */
export function newGuestToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export interface CartSession {
  owner: "user" | "guest";
  /** Null for a guest without a cart yet (nothing to read; a write creates one). */
  stub: CartStub | null;
  caller: CartCaller;
  /** The guest token whose cookie must be set once a write succeeds. */
  newToken?: string;
  merged?: MergeAdjustment[];
}

/** Resolves the request's cart; `create` gives a guest without a cookie a new token (for writes). */
export async function cartSession(c: AppContext, opts: { create: boolean }): Promise<CartSession> {
  const principal = c.get("principal");
  if (principal && principal.kind !== "user")
    throw new ApiError(ErrorCode.USER_TOKEN_REQUIRED, "The cart belongs to a shopper: use a user access token, or none for a guest cart");
  const correlationId = c.get("requestId");
  const cookie = getCookie(c, CART_COOKIE);
  const token = cookie && TOKEN_PATTERN.test(cookie) ? cookie : null;

  if (principal) {
    const caller: CartCaller = { userId: principal.id, actor: { type: "user", id: principal.id }, correlationId };
    const stub = userCart(c.env, principal.id);
    let merged: MergeAdjustment[] | undefined;
    if (token) {
      merged = await mergeGuestCart(c.env, token, stub, caller);
      deleteCookie(c, CART_COOKIE, { path: COOKIE_PATH, secure: true, httpOnly: true, sameSite: "Lax" });
    } else if (cookie) deleteCookie(c, CART_COOKIE, { path: COOKIE_PATH, secure: true, httpOnly: true, sameSite: "Lax" });
    return { owner: "user", stub, caller, merged };
  }

  const caller: CartCaller = { userId: null, actor: null, correlationId };
  if (token) return { owner: "guest", stub: guestCart(c.env, token), caller };
  if (!opts.create) return { owner: "guest", stub: null, caller };
  const fresh = newGuestToken();
  return { owner: "guest", stub: guestCart(c.env, fresh), caller, newToken: fresh };
}

/** After a successful write: (re)sets the guest cookie, so it lives as long as the cart may. */
export function keepGuestCookie(c: AppContext, session: CartSession): void {
  if (session.owner !== "guest") return;
  const token = session.newToken ?? getCookie(c, CART_COOKIE);
  if (!token) return;
  setCookie(c, CART_COOKIE, token, {
    path: COOKIE_PATH,
    secure: true,
    httpOnly: true,
    sameSite: "Lax",
    maxAge: cartConfig.read(c.env).CART_IDLE_TTL_SECONDS,
  });
}

/**
 * Moves a guest cart's lines into the user's cart. The user's cart records
 * the guest cart's id, so a repeat (the guest cart retired late, or the
 * request retried) adds nothing twice; only then is the guest cart retired.
 */
async function mergeGuestCart(rt: Runtime, token: string, target: CartStub, caller: CartCaller): Promise<MergeAdjustment[]> {
  const guest = guestCart(rt, token);
  const source = await guest.snapshot();
  if (!source.cartId || source.lines.length === 0) return [];
  const result = await target.mergeFrom({ sourceCartId: source.cartId, lines: source.lines, caller });
  await guest.retire();
  return result.ok ? (result.adjustments ?? []) : [];
}
