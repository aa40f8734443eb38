/**
 * Claiming guest orders: once an account proves it receives mail at an
 * address (its email verified, or an identity provider vouched for it at the
 * first sign-in), the unclaimed guest orders placed with that address become
 * the account's and appear in its GET /api/orders. A registration alone does
 * not claim: anyone may register with someone else's address, and the
 * orders (address, lines) would be theirs to read. Each order changes owner
 * through its object, once; a redelivered event finds nothing left to claim.
 */
import { UserEmailVerified, UserRegistered } from "../../queues/contracts/events/user.ts";
import { findNotificationContact } from "../identity/index.ts";
import type { Queryable } from "../platform/db.ts";
import { on } from "../platform/event-handlers.ts";
import { log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { unclaimedGuestOrders } from "./queries.ts";
import { orderObject } from "./service.ts";

async function claimFor(db: Queryable, rt: Runtime, userId: string): Promise<void> {
  const contact = await findNotificationContact(db, userId);
  if (!contact?.email || !contact.emailVerified) return;
  const email = contact.email;
  const ids = await unclaimedGuestOrders(db, email);
  let claimed = 0;
  for (const orderId of ids) if (await orderObject(rt, orderId).claim({ orderId, userId, email })) claimed++;
  if (claimed > 0) log.info("orders.guest_orders_claimed", { userId, claimed });
}

export const claimGuestOrders = [
  on(UserEmailVerified, (event, { tx, rt }) => claimFor(tx, rt, event.payload.userId)),
  on(UserRegistered, async (event, { tx, rt }) => {
    if (event.payload.emailVerified) await claimFor(tx, rt, event.payload.userId);
  }),
];
