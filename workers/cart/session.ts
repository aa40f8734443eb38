/**
 * Which cart a request is about. A signed-in user's cart is the object named
 * `user:<userId>`; a guest's is named by a server-made, signed id
 * (guest-cart-id.ts) in an HttpOnly, Secure, SameSite=Lax cookie, set on the
 * first write. A request carrying both a user token and a guest cookie first
 * merges the guest cart into the user's, then clears the cookie: the guest id
 * does not survive the sign-in.
 */
import { deleteCookie, setCookie } from "hono/cookie";
import { type Cart, type CartCaller, cartConfig, type MergeAdjustment } from "../../durable-objects/cart/index.ts";
import type { AppContext } from "../platform/context.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import type { Runtime } from "../platform/runtime.ts";
import { traceparentOf } from "../platform/tracing/request-tracing.ts";
import { MAX_CODES_PER_CART } from "../promotions/index.ts";
import { CART_COOKIE, guestCartId, guestCookieValue } from "./guest-cart-id.ts";

// The whole API, not only /api/cart: guest checkout (POST /api/orders/guest) orders the cookie's cart.
const COOKIE_PATH = "/api";
const clearCookie = (c: AppContext) => deleteCookie(c, CART_COOKIE, { path: COOKIE_PATH, secure: true, httpOnly: true, sameSite: "Lax" });

export const userCart = (rt: Pick<Runtime, "objects">, userId: string) => rt.objects.get<Cart>("CART", `user:${userId}`);
export const guestCart = (rt: Pick<Runtime, "objects">, id: string) => rt.objects.get<Cart>("CART", `guest:${id}`);
export type CartStub = ReturnType<typeof userCart>;

export interface CartSession {
  owner: "user" | "guest";
  /** Null for a guest without a cart yet (nothing to read; a write creates one). */
  stub: CartStub | null;
  caller: CartCaller;
  /** The guest cart id whose cookie must be set once a write succeeds. */
  guestId?: string;
  merged?: MergeAdjustment[];
}

/** Resolves the request's cart; `create` gives a guest without a (signed) cookie a new id (for writes). */
export async function cartSession(c: AppContext, opts: { create: boolean }): Promise<CartSession> {
  const principal = c.get("principal");
  if (principal && principal.kind !== "user")
    throw new ApiError(ErrorCode.USER_TOKEN_REQUIRED, "The cart belongs to a shopper: use a user access token, or none for a guest cart");
  const correlationId = c.get("requestId");
  // With tracing on, the cart's events (from the object's outbox) continue the request's trace.
  const traced = traceparentOf(c.env);
  const trace = traced ? { traceparent: traced } : {};

  if (principal) {
    const caller: CartCaller = { userId: principal.id, actor: { type: "user", id: principal.id }, correlationId, ...trace };
    const stub = userCart(c.env, principal.id);
    const { cart, presented } = await guestCartId(c, { create: false });
    const merged = cart ? await mergeGuestCart(c.env, cart.id, stub, caller) : undefined;
    if (presented) clearCookie(c);
    return { owner: "user", stub, caller, merged };
  }

  const caller: CartCaller = { userId: null, actor: null, correlationId, ...trace };
  const { cart, presented } = await guestCartId(c, opts);
  // A cookie the server did not sign names nothing: it is cleared (a write sets a signed one instead).
  if (presented && (!cart || cart.fresh)) clearCookie(c);
  if (!cart) return { owner: "guest", stub: null, caller };
  return { owner: "guest", stub: guestCart(c.env, cart.id), caller, guestId: cart.id };
}

/** After a successful write: (re)sets the guest cookie, so it lives as long as the cart may. */
export async function keepGuestCookie(c: AppContext, session: CartSession): Promise<void> {
  if (session.owner !== "guest" || !session.guestId) return;
  setCookie(c, CART_COOKIE, await guestCookieValue(c.env, session.guestId), {
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
async function mergeGuestCart(rt: Runtime, guestId: string, target: CartStub, caller: CartCaller): Promise<MergeAdjustment[]> {
  const guest = guestCart(rt, guestId);
  const source = await guest.snapshot();
  if (!source.cartId || source.lines.length === 0) return [];
  const result = await target.mergeFrom({
    sourceCartId: source.cartId,
    lines: source.lines,
    promotionCodes: { codes: source.promotionCodes, maxCodes: MAX_CODES_PER_CART },
    caller,
  });
  await guest.retire();
  return result.ok ? (result.adjustments ?? []) : [];
}
