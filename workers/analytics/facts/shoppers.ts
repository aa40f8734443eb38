/**
 * Shopper facts: sign-ups, cart changes, and the erasure of a deleted
 * account's pseudonym. Customers are only ever named by their pseudonym
 * (the scrubbed `userId`, or a user actor's scrubbed id).
 */
import { sql } from "drizzle-orm";
import type { CartAbandoned, CartRecovered, ItemAddedToCart, ItemRemovedFromCart } from "../../../queues/contracts/events/cart.ts";
import type { UserDeleted, UserRegistered } from "../../../queues/contracts/events/user.ts";
import type { ScrubbedEvent } from "../../pipeline/index.ts";
import { type Cte, dailyIncrements, type FactEvent, utcDay, wrote } from "./cte.ts";

export function userRegistered(e: FactEvent<typeof UserRegistered>): Cte[] {
  const p = e.payload;
  return [
    {
      name: "ur_fact",
      query: sql`
        insert into analytics.signup_facts (customer_key, event_id, role, via, locale, signed_up_at)
        values (${p.userId}, ${e.id}, ${p.role}, ${p.via}, ${p.locale}, ${e.occurredAt}::timestamptz)
        on conflict do nothing
        returning 1`,
    },
    dailyIncrements("ur_daily", [{ day: utcDay(e.occurredAt), currency: "", metric: "signups", value: 1, when: wrote("ur_fact") }]),
  ];
}

function randomPseudonym(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `psn_${btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "")}`;
}

/**
 * An erased account: its sign-up goes, and its facts move to a fresh random
 * pseudonym, so totals stay right but nothing links them to the account (or
 * to its HMAC, which anyone holding the key could recompute from the id).
 */
export function userDeleted(e: FactEvent<typeof UserDeleted>): Cte[] {
  const key = e.payload.userId;
  const fresh = randomPseudonym();
  const tables = ["order_facts", "cart_facts", "product_view_facts", "payment_facts", "delivery_facts"];
  return [
    { name: "ud_signup", query: sql`delete from analytics.signup_facts where customer_key = ${key} returning 1` },
    ...tables.map((t, i) => ({
      name: `ud_${i}`,
      query: sql`update analytics.${sql.raw(t)} set customer_key = ${fresh} where customer_key = ${key} returning 1`,
    })),
  ];
}

/** The shopper of a cart change: the signed-in user who made it (a guest's cart names no one). */
const shopperOf = (e: ScrubbedEvent) => (e.actor?.type === "user" ? e.actor.id : null);

export function itemAddedToCart(e: FactEvent<typeof ItemAddedToCart>): Cte[] {
  const p = e.payload;
  return [
    {
      name: "ca_fact",
      query: sql`
        insert into analytics.cart_facts (event_id, cart_id, kind, sku, quantity, value_minor, currency, customer_key, occurred_at)
        values (${e.id}, ${p.cartId}, 'added', ${p.sku}, ${p.quantity}, ${p.quantity * p.unitPriceMinor}, ${p.currency}, ${shopperOf(e)}, ${e.occurredAt}::timestamptz)
        on conflict do nothing
        returning 1`,
    },
    dailyIncrements("ca_daily", [{ day: utcDay(e.occurredAt), currency: "", metric: "cart_adds", value: 1, when: wrote("ca_fact") }]),
  ];
}

export function itemRemovedFromCart(e: FactEvent<typeof ItemRemovedFromCart>): Cte[] {
  const p = e.payload;
  return [
    {
      name: "cr_fact",
      query: sql`
        insert into analytics.cart_facts (event_id, cart_id, kind, sku, quantity, customer_key, occurred_at)
        values (${e.id}, ${p.cartId}, 'removed', ${p.sku}, ${p.quantity}, ${shopperOf(e)}, ${e.occurredAt}::timestamptz)
        on conflict do nothing
        returning 1`,
    },
  ];
}

export function cartAbandoned(e: FactEvent<typeof CartAbandoned>): Cte[] {
  const p = e.payload;
  const value = p.lines.reduce((n, l) => n + l.quantity * l.unitPriceMinor, 0);
  return [
    {
      name: "cb_fact",
      query: sql`
        insert into analytics.cart_facts (event_id, cart_id, kind, quantity, value_minor, currency, customer_key, occurred_at)
        values (${e.id}, ${p.cartId}, 'abandoned', ${p.itemCount}, ${value}, ${p.lines[0]?.currency ?? null}, ${p.userId}, ${e.occurredAt}::timestamptz)
        on conflict do nothing
        returning 1`,
    },
    dailyIncrements("cb_daily", [{ day: utcDay(e.occurredAt), currency: "", metric: "carts_abandoned", value: 1, when: wrote("cb_fact") }]),
  ];
}

/** A reminder's link brought an abandoned cart back: recorded against the abandoned cart, so each counts once. */
export function cartRecovered(e: FactEvent<typeof CartRecovered>): Cte[] {
  const p = e.payload;
  return [
    {
      name: "cv_fact",
      query: sql`
        insert into analytics.cart_facts (event_id, cart_id, kind, quantity, customer_key, occurred_at)
        values (${e.id}, ${p.abandonedCartId}, 'recovered', ${p.itemCount}, ${p.userId}, ${e.occurredAt}::timestamptz)
        on conflict do nothing
        returning 1`,
    },
  ];
}
