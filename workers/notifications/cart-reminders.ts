/**
 * Cart reminders: an abandoned cart (CartAbandoned) earns one marketing mail
 * listing its lines, with a signed, expiring link that restores them (the
 * cart family's restore token). A signed-in user's cart is reminded at the
 * account's address; a guest cart only when the guest left an address with
 * consent to marketing mail (PUT /api/cart/contact: the event then carries
 * it), in the language the guest gave.
 *
 * Preferences decide as for any marketing mail: an account's
 * `marketingEmails` opt-in and a verified address; a guest's consent stands
 * for both. Suppressed addresses (unsubscribes, complaints) are skipped. On
 * top, a frequency cap: at most one reminder per user, or per guest address,
 * within CART_REMINDER_CAP_HOURS, claimed by a conditional upsert of the
 * `cart_reminders` row in the consumer's transaction (keyed by the user id,
 * or `addr:` and the address's hash for a guest). The same cart claims it
 * again (a redelivered event: the delivery's idempotency key then keeps it
 * to one mail); another cart within the cap finds the row taken and is
 * recorded as skipped (`frequency_capped`). Two carts racing for one key
 * serialise on the row's key.
 */
import { sql } from "drizzle-orm";
import { CartAbandoned } from "../../queues/contracts/events/cart.ts";
import { GUEST_GRANT, signRestoreToken } from "../cart/index.ts";
import { on, type Subscription } from "../platform/event-handlers.ts";
import { quoteSkus } from "../products/index.ts";
import { recipientHash } from "./compose.ts";
import { notificationsConfig } from "./config.ts";
import type { Admit } from "./consumer.ts";
import { notifyForEvent } from "./consumer.ts";
import type { Audience } from "./rules.ts";

const capFor =
  (key: string, cartId: string, capHours: number): Admit =>
  async (outgoing, { tx }) => {
    const claimed = await tx.execute(sql`
      insert into notifications.cart_reminders (user_id, cart_id, reminded_at) values (${key}, ${cartId}, now())
      on conflict (user_id) do update
        set cart_id = excluded.cart_id,
          reminded_at = case when cart_reminders.cart_id = excluded.cart_id then cart_reminders.reminded_at else excluded.reminded_at end
        where cart_reminders.cart_id = excluded.cart_id
          or cart_reminders.reminded_at <= now() - make_interval(hours => ${capHours}::int)
      returning 1`);
    if (claimed.rows.length > 0) return { admitted: outgoing, held: [] };
    return {
      admitted: [],
      held: outgoing.map(({ subject: _s, message: _m, pushSubscriptionId: _p, ...m }) => ({ ...m, reason: "frequency_capped" as const })),
    };
  };

export const remindOfAbandonedCart: Subscription = on(CartAbandoned, async (event, ctx) => {
  if (event.version !== CartAbandoned.version) return;
  const { cartId, userId, lines, itemCount, guestContact } = event.payload;
  if (lines.length === 0) return;
  let audience: Audience;
  let capKey: string;
  if (userId) {
    audience = { kind: "user", userId };
    capKey = userId;
  } else if (guestContact) {
    // The guest has no id: the abandoned cart stands for them in the delivery records.
    audience = { kind: "address", userId: cartId, email: guestContact.email, locale: guestContact.locale, marketingConsent: true };
    capKey = `addr:${await recipientHash("email", guestContact.email)}`;
  } else return;
  const config = notificationsConfig.read(ctx.rt);
  const expiresAt = new Date(Date.now() + config.CART_REMINDER_LINK_HOURS * 3600_000);
  const [token, quotes] = await Promise.all([
    signRestoreToken(ctx.rt, { userId: userId ?? GUEST_GRANT, cartId, lines, expiresAt }),
    quoteSkus(
      ctx.tx,
      lines.map((l) => l.sku),
    ),
  ]);
  const data = {
    token,
    expiresAt: expiresAt.toISOString(),
    itemCount,
    lines: lines.map((l) => ({ ...l, name: quotes.get(l.sku)?.productName ?? l.sku })),
  };
  await notifyForEvent(event, [{ template: "cart-reminder", audience, data }], ctx, capFor(capKey, cartId, config.CART_REMINDER_CAP_HOURS));
});
