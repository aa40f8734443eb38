/**
 * Cart restore tokens: what a cart reminder's link carries so one click puts
 * an abandoned cart's lines back. `<payload>.<signature>`, both base64url:
 * the payload is JSON naming the user the reminder went to, the abandoned
 * cart, its lines (SKU, quantity, the unit price the shopper last saw) and
 * an expiry; the signature is HMAC-SHA256 under the cart's signing key
 * (CART_COOKIE_KEY) over `cart-restore:<payload>`, a label the guest cart
 * ids never use, so neither kind of value can stand in for the other.
 * The token names the user it was made for, so only that user's cart can
 * take its lines back.
 */
import { z } from "zod";
import type { Runtime } from "../platform/runtime.ts";
import { base64Url, cartSigningKey } from "./guest-cart-id.ts";

export interface RestoreLine {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  currency: string;
}

export interface RestoreGrant {
  userId: string;
  /** The abandoned cart: restoring is idempotent per cart id. */
  cartId: string;
  lines: RestoreLine[];
  expiresAt: Date;
}

const Payload = z.object({
  v: z.literal(1),
  u: z.string().min(1),
  c: z.string().min(1),
  x: z.number().int().positive(),
  l: z
    .array(z.tuple([z.string().min(1), z.number().int().positive(), z.number().int().nonnegative(), z.string().regex(/^[A-Z]{3}$/)]))
    .min(1),
});

const enc = new TextEncoder();

async function signature(rt: Pick<Runtime, "vars">, payload: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", enc.encode(cartSigningKey(rt)), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return base64Url(new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(`cart-restore:${payload}`))));
}

/** A signed token granting `grant`'s lines back to its user until its expiry. */
export async function signRestoreToken(rt: Pick<Runtime, "vars">, grant: RestoreGrant): Promise<string> {
  const body: z.input<typeof Payload> = {
    v: 1,
    u: grant.userId,
    c: grant.cartId,
    x: Math.floor(grant.expiresAt.getTime() / 1000),
    l: grant.lines.map((l) => [l.sku, l.quantity, l.unitPriceMinor, l.currency]),
  };
  const payload = base64Url(enc.encode(JSON.stringify(body)));
  return `${payload}.${await signature(rt, payload)}`;
}
