/**
 * Whether a message goes out on a channel, from its category and the
 * recipient's preferences (the identity family's `notificationPreferences`).
 *
 * - Transactional, security and staff messages ignore category opt-outs:
 *   a customer who turned off order updates still gets the order confirmation.
 * - A channel the recipient has not opted into is never used: SMS needs the
 *   `sms` opt-in; web push needs a subscription (subscribing is the opt-in).
 * - A recipient without an address for a channel is skipped quietly.
 * - Addresses that hard-bounced or complained are suppressed, except for
 *   security messages, which the user asked for (a password reset).
 */
import type { NotificationPreferences } from "../../db/schema/users.ts";
import type { Category, Channel } from "./templates/catalog.ts";

/** `frequency_capped`: held back by a template's own cap (cart reminders), not by a preference. */
export type SkipReason = "no_address" | "not_opted_in" | "opted_out" | "unverified" | "suppressed" | "frequency_capped";

export type Decision =
  | { send: true }
  | { send: false; reason: SkipReason /** false: nothing worth recording (no address, channel not in use) */; record: boolean };

export interface DecisionInput {
  channel: Channel;
  category: Category;
  hasAddress: boolean;
  /** null when the message goes to an address, not an account (e.g. verifying a new address). */
  preferences: NotificationPreferences | null;
  emailVerified: boolean;
  suppressed: boolean;
}

const skip = (reason: SkipReason, record = true): Decision => ({ send: false, reason, record });

export function decide(input: DecisionInput): Decision {
  const { channel, category, preferences: prefs } = input;
  if (!input.hasAddress) return skip("no_address", false);
  if (channel === "sms" && !prefs?.sms) return skip("not_opted_in");
  if (category === "order_updates" && prefs && !prefs.orderUpdates) return skip("opted_out");
  if (category === "marketing") {
    if (!prefs?.marketingEmails) return skip("opted_out");
    if (channel === "email" && !input.emailVerified) return skip("unverified");
  }
  if (input.suppressed && category !== "security") return skip("suppressed");
  return { send: true };
}
