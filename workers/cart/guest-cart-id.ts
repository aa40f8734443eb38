/**
 * Guest cart ids: made by the server only, unguessable (128 random bits) and
 * signed (HMAC-SHA256 under CART_COOKIE_KEY), carried in the `cart_id` cookie
 * as `<id>.<signature>`. A cookie the server did not sign names no cart: it is
 * ignored and cleared, so a client cannot choose an id, nor plant one another
 * client shares. On sign-in the guest cart is merged into the user's and the
 * cookie cleared (session.ts), so a guest id never outlives the sign-in.
 *
 * `guestCartId` is the one place that reads or makes a guest cart id; guest
 * checkout and promotions build on it.
 */
import { getCookie } from "hono/cookie";
import { cartConfig } from "../../durable-objects/cart/index.ts";
import { safeEqual } from "../platform/auth.ts";
import { platformConfig } from "../platform/config.ts";
import type { AppContext } from "../platform/context.ts";
import { ApiError } from "../platform/errors.ts";
import { log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { CartErrors } from "./errors.ts";

export const CART_COOKIE = "cart_id";
const COOKIE_PATTERN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export const base64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");

/** Outside production, a missing key is replaced by one per isolate (guest carts of a local run only). */
let isolateKey: string | undefined;

/** The key that signs guest cart ids and, under another label, restore tokens (restore-token.ts). */
export function cartSigningKey(rt: Pick<Runtime, "vars">): string {
  const key = cartConfig.read(rt).CART_COOKIE_KEY;
  if (key) return key;
  if (platformConfig.read(rt).APP_ENV === "production")
    throw new ApiError(CartErrors.GUEST_CARTS_UNAVAILABLE, "Guest carts are not configured on this server (CART_COOKIE_KEY)");
  if (!isolateKey) {
    isolateKey = base64Url(crypto.getRandomValues(new Uint8Array(32)));
    log.warn("cart.cookie_key_missing", { note: "CART_COOKIE_KEY is not set: guest carts last as long as this isolate" });
  }
  return isolateKey;
}

async function sign(rt: Pick<Runtime, "vars">, id: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(cartSigningKey(rt)), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return base64Url(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`guest-cart:${id}`))));
}

/** The cookie value of a guest cart id. */
export async function guestCookieValue(rt: Pick<Runtime, "vars">, id: string): Promise<string> {
  return `${id}.${await sign(rt, id)}`;
}

/** The id a cookie value carries if the server signed it, else null. */
export async function verifiedGuestCartId(rt: Pick<Runtime, "vars">, value: string | undefined): Promise<string | null> {
  const m = value ? COOKIE_PATTERN.exec(value) : null;
  if (!m) return null;
  return safeEqual(m[2]!, await sign(rt, m[1]!)) ? m[1]! : null;
}

export interface GuestCartId {
  id: string;
  /** Made by this request: the cookie must be set once a write succeeds. */
  fresh: boolean;
}

/**
 * The request's guest cart id: the one its signed cookie carries, or, with
 * `create`, a new one made here; null when there is none and none is wanted.
 * `presented` says whether the request carried a cookie at all (an unsigned
 * one is cleared by the caller).
 */
export async function guestCartId(c: AppContext, opts: { create: boolean }): Promise<{ cart: GuestCartId | null; presented: boolean }> {
  const raw = getCookie(c, CART_COOKIE);
  const id = await verifiedGuestCartId(c.env, raw);
  if (id) return { cart: { id, fresh: false }, presented: true };
  if (!opts.create) return { cart: null, presented: raw !== undefined };
  // Sign now, so a missing key refuses the write before anything is stored.
  const fresh = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  await sign(c.env, fresh);
  return { cart: { id: fresh, fresh: true }, presented: raw !== undefined };
}
