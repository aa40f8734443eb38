/**
 * Who an audience is: accounts (through the identity family's read functions)
 * with their addresses, locale, preferences and push subscriptions.
 */
import type { NotificationPreferences } from "../../db/schema/users.ts";
import { findNotificationContact, listNotificationContactsByRole, type NotificationContact } from "../identity/index.ts";
import type { Queryable } from "../platform/db.ts";
import type { PushSubscriptionRow } from "./push-subscriptions.ts";
import type { Audience } from "./rules.ts";

export interface Target {
  userId: string;
  name: string;
  locale: string;
  /** null: the audience is an address, not an account's settings (preferences do not apply). */
  preferences: NotificationPreferences | null;
  emailVerified: boolean;
  email: string | null;
  phone: string | null;
}

export type PushTarget = Pick<PushSubscriptionRow, "id" | "userId" | "endpoint" | "p256dh" | "auth">;

/** What a guest who consented to a reminder at the cart agreed to: that marketing mail, nothing else. */
const GUEST_CONSENT: NotificationPreferences = { orderUpdates: true, marketingEmails: true, productRecommendations: false, sms: false };

/** The accounts of an audience (their push subscriptions are loaded with the suppressions, in compose.ts). Staff alerts go to at most this many. */
const MAX_STAFF = 500;

function fromContact(c: NotificationContact): Target {
  return {
    userId: c.userId,
    name: c.name,
    locale: c.locale,
    preferences: c.preferences,
    emailVerified: c.emailVerified,
    email: c.email,
    phone: c.phone,
  };
}

export async function resolveTargets(db: Queryable, audience: Audience): Promise<Target[]> {
  if (audience.kind === "address") {
    // The name for the greeting, if the account still exists; the address and locale come from the event.
    const contact = await findNotificationContact(db, audience.userId);
    return [
      {
        userId: audience.userId,
        name: contact?.name ?? "",
        locale: audience.locale,
        // A guest's explicit consent, given with the address, is the opt-in an account's preference would be;
        // the address is unverified, which is why the guest reminder is also capped per address and sent once per cart.
        preferences: audience.marketingConsent ? GUEST_CONSENT : null,
        emailVerified: audience.marketingConsent === true,
        email: audience.email,
        phone: null,
      },
    ];
  }
  if (audience.kind === "user") {
    const contact = await findNotificationContact(db, audience.userId);
    return contact ? [fromContact(contact)] : [];
  }
  return (await listNotificationContactsByRole(db, audience.roles, { limit: MAX_STAFF })).map(fromContact);
}
