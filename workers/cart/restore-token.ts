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
import { safeEqual } from "../platform/auth.ts";
import type { Runtime } from "../platform/runtime.ts";
import { base64Url, cartSigningKey } from "./guest-cart-id.ts";

export interface RestoreLine {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  currency: string;
}

export interface RestoreGrant {
  /** The user the reminder went to, or GUEST_GRANT for a guest's reminder (sent to the address the guest left). */
  userId: string;
  /** The abandoned cart: restoring is idempotent per cart id. */
  cartId: string;
  lines: RestoreLine[];
  expiresAt: Date;
}

/** The grant of a guest's reminder: no account may take it (a user id never has this form). */
export const GUEST_GRANT = "guest";
export const isGuestGrant = (grant: RestoreGrant) => grant.userId === GUEST_GRANT;

/**
 * The guest cart a guest's reminder restores into: derived from the abandoned
 * cart's id under the signing key (another label), so every use of one link
 * reaches the same cart, which records the restore and so takes it once, and
 * nobody can name that cart without the key. It has the form of a guest cart id.
 */
export async function guestRestoreTarget(rt: Pick<Runtime, "vars">, abandonedCartId: string): Promise<string> {
  return (await signature(rt, `target:${abandonedCartId}`)).slice(0, 22);
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

const TOKEN_PATTERN = /^([A-Za-z0-9_-]{1,16000})\.([A-Za-z0-9_-]{43})$/;

function decodeBase64Url(text: string): unknown {
  try {
    const bin = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0))));
  } catch {
    return null;
  }
}

export type ReadToken = { ok: true; grant: RestoreGrant } | { ok: false; reason: "invalid" | "expired" };

/** The grant a token carries if the server signed it (compared in constant time) and it has not expired at `now`. */
export async function readRestoreToken(rt: Pick<Runtime, "vars">, token: string, now: Date): Promise<ReadToken> {
  const m = TOKEN_PATTERN.exec(token);
  if (!m || !safeEqual(m[2]!, await signature(rt, m[1]!))) return { ok: false, reason: "invalid" };
  const parsed = Payload.safeParse(decodeBase64Url(m[1]!));
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const p = parsed.data;
  if (p.x * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return {
    ok: true,
    grant: {
      userId: p.u,
      cartId: p.c,
      expiresAt: new Date(p.x * 1000),
      lines: p.l.map(([sku, quantity, unitPriceMinor, currency]) => ({ sku, quantity, unitPriceMinor, currency })),
    },
  };
}
