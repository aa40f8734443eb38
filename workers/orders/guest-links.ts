/**
 * What stands for a guest: the marker that owns a guest's orders, and the
 * signed link that finds one again.
 *
 * - The marker is `gst_` and 26 characters of SHA-256 over the guest cart's
 *   id (secret, server-made): stable for one cart, so an Idempotency-Key
 *   repeat reaches the same order, and it never reveals the cart id.
 * - A link token is `<order id>.<expiry, unix seconds>.<HMAC-SHA256>` under
 *   ORDER_GUEST_LINK_KEY over the order id, the guest's email (case-folded)
 *   and the expiry. A guessed or altered token fails the signature and names
 *   nothing (404); a genuine one past its expiry is 410.
 */
import { GUEST_PREFIX, loadOrder, OrderErrors, type OrderRow, ordersConfig } from "../../durable-objects/order/index.ts";
import { safeEqual } from "../platform/auth.ts";
import { platformConfig } from "../platform/config.ts";
import type { Queryable } from "../platform/db.ts";
import { ApiError, notFound } from "../platform/errors.ts";
import { log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { derivedId } from "./idempotency.ts";

const TOKEN = /^(ord_[0-9A-HJKMNP-TV-Z]{26})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/;

export const guestMarker = (cartId: string): Promise<string> => derivedId(GUEST_PREFIX.slice(0, -1), `guest\n${cartId}`);

const base64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");

/** Outside production, a missing key is replaced by one per isolate (links of a local run only). */
let isolateKey: string | undefined;

function linkKey(rt: Pick<Runtime, "vars">): string {
  const key = ordersConfig.read(rt).ORDER_GUEST_LINK_KEY;
  if (key) return key;
  if (platformConfig.read(rt).APP_ENV === "production")
    throw new ApiError(OrderErrors.GUEST_CHECKOUT_UNAVAILABLE, "Guest checkout is not configured on this server (ORDER_GUEST_LINK_KEY)");
  if (!isolateKey) {
    isolateKey = base64Url(crypto.getRandomValues(new Uint8Array(32)));
    log.warn("orders.guest_link_key_missing", { note: "ORDER_GUEST_LINK_KEY is not set: guest order links last as long as this isolate" });
  }
  return isolateKey;
}

async function signature(rt: Pick<Runtime, "vars">, orderId: string, email: string, expires: number): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(linkKey(rt)), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const text = `guest-order:${orderId}:${email.trim().toLowerCase()}:${expires}`;
  return base64Url(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text))));
}

export interface GuestLink {
  token: string;
  expiresAt: string;
}

/** A fresh link token for a guest order, valid ORDER_GUEST_LINK_DAYS. */
export async function signGuestLink(
  rt: Pick<Runtime, "vars">,
  order: { id: string; guestEmail: string },
  now = Date.now(),
): Promise<GuestLink> {
  const expires = Math.floor(now / 1000) + ordersConfig.read(rt).ORDER_GUEST_LINK_DAYS * 86_400;
  return {
    token: `${order.id}.${expires}.${await signature(rt, order.id, order.guestEmail, expires)}`,
    expiresAt: new Date(expires * 1000).toISOString(),
  };
}

/** The guest order a token names: 404 for anything not signed by us for that order and address, 410 once it expired. */
export async function orderOfGuestLink(rt: Pick<Runtime, "vars">, db: Queryable, token: string, now = Date.now()): Promise<OrderRow> {
  const m = TOKEN.exec(token);
  if (!m) throw notFound("order");
  const [, orderId, expires, sig] = m as unknown as [string, string, string, string];
  const order = await loadOrder(db, orderId);
  if (!order?.guestEmail || !safeEqual(sig, await signature(rt, orderId, order.guestEmail, Number(expires)))) throw notFound("order");
  if (Number(expires) * 1000 <= now)
    throw new ApiError(OrderErrors.ORDER_LINK_EXPIRED, "This order link has expired; look the order up with its number and email");
  return order;
}
