/**
 * Messages about an order go to its customer: an account's to the account
 * (its channels, locale and preferences), a guest order's to the address the
 * guest gave at checkout, in the language the order recorded (mail only, as
 * transactional mail to an address), with a signed link to the order in
 * place of the account's order page. Once an account claimed the order, its
 * messages go to the account.
 *
 * The confirmation mail carries the order's invoice as a PDF: the handler
 * makes sure the invoice exists first (issuing it, committed, if the invoices
 * handler has not yet; see docs/notifications.md), so the mail neither waits
 * for another consumer group nor goes out without it. A failure to issue it
 * throws before anything is sent, and the queue retries the event.
 */
import type { z } from "zod";
import { invoiceForMail } from "../invoices/index.ts";
import { guestRecipient, isGuestOwner } from "../orders/index.ts";
import type { EventContract } from "../platform/event-contracts.ts";
import { type HandlerContext, on, type Subscription } from "../platform/event-handlers.ts";
import { type Extras, notifyForEvent } from "./consumer.ts";
import { type Plan, toUser } from "./rules.ts";
import type { TemplateId } from "./templates/catalog.ts";

interface CustomerMailOptions {
  /** Attach the order's invoice PDF to the email (the order confirmation). */
  attachInvoice?: boolean;
}

async function invoiceExtras(ctx: HandlerContext, orderId: string): Promise<{ extras: Extras; invoiceNumber: string } | null> {
  const invoice = await invoiceForMail(ctx.rt, orderId);
  if (!invoice) return null;
  const attachment = { filename: `${invoice.number}.pdf`, contentType: "application/pdf", content: invoice.pdf };
  return { extras: { attachments: [attachment] }, invoiceNumber: invoice.number };
}

export function notifyCustomerOn<T extends string, S extends z.ZodType<{ userId: string; orderId: string }>>(
  contract: EventContract<T, S>,
  template: TemplateId,
  options: CustomerMailOptions = {},
): Subscription {
  return on(contract, async (event, ctx) => {
    if (event.version !== contract.version) return;
    let p: { userId: string; orderId: string; invoiceNumber?: string } = event.payload;
    const invoice = options.attachInvoice ? await invoiceExtras(ctx, p.orderId) : null;
    if (invoice) p = { ...p, invoiceNumber: invoice.invoiceNumber };
    let plans: Plan[] = toUser(template)(p);
    if (isGuestOwner(p.userId)) {
      const to = await guestRecipient(ctx.tx, ctx.rt, p.orderId);
      // A guest order claimed since the event was written goes to its account (the event still names the guest marker).
      if (to?.kind === "account") plans = toUser(template)({ ...p, userId: to.userId });
      else if (to?.kind === "guest")
        plans = [
          {
            template,
            audience: { kind: "address", userId: p.userId, email: to.email, locale: to.locale },
            data: { ...p, guestToken: to.token },
          },
        ];
      else plans = [];
    }
    await notifyForEvent(event, plans, ctx, undefined, invoice?.extras);
  });
}
