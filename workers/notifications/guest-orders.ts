/**
 * Messages about an order go to its customer: an account's to the account
 * (its channels, locale and preferences), a guest order's to the address the
 * guest gave at checkout (mail only, as transactional mail to an address),
 * with a signed link to the order in place of the account's order page. Once
 * an account claimed the order, its messages go to the account.
 */
import type { z } from "zod";
import { guestRecipient, isGuestOwner } from "../orders/index.ts";
import type { EventContract } from "../platform/event-contracts.ts";
import { on, type Subscription } from "../platform/event-handlers.ts";
import { notifyForEvent } from "./consumer.ts";
import { type Plan, toUser } from "./rules.ts";
import type { TemplateId } from "./templates/catalog.ts";

/** Guests give no locale: their mails are in the shop's default language. */
const GUEST_LOCALE = "en";

export function notifyCustomerOn<T extends string, S extends z.ZodType<{ userId: string; orderId: string }>>(
  contract: EventContract<T, S>,
  template: TemplateId,
): Subscription {
  return on(contract, async (event, ctx) => {
    if (event.version !== contract.version) return;
    const p: { userId: string; orderId: string } = event.payload;
    let plans: Plan[] = toUser(template)(p);
    if (isGuestOwner(p.userId)) {
      const to = await guestRecipient(ctx.tx, ctx.rt, p.orderId);
      // A guest order claimed since the event was written goes to its account (the event still names the guest marker).
      if (to?.kind === "account") plans = toUser(template)({ ...p, userId: to.userId });
      else if (to?.kind === "guest")
        plans = [
          {
            template,
            audience: { kind: "address", userId: p.userId, email: to.email, locale: GUEST_LOCALE },
            data: { ...p, guestToken: to.token },
          },
        ];
      else plans = [];
    }
    await notifyForEvent(event, plans, ctx);
  });
}
