/** Request and response schemas of guest checkout (guest-routes.ts). */
import { z } from "@hono/zod-openapi";
import { DEFAULT_MESSAGE_LOCALE, MESSAGE_LOCALES } from "../platform/message-locales.ts";
import { ConfirmQuery, CreateOrderBody, OrderSchema } from "./schemas.ts";

const Email = z.email().max(254).openapi({ example: "guest@example.com" });

export const CreateGuestOrderBody = CreateOrderBody.extend({
  guestEmail: Email.openapi({ description: "Where the order's mails and its link go; the order is found again with it" }),
  locale: z
    .enum(MESSAGE_LOCALES)
    .optional()
    .openapi({
      description: `The language of the order's mails (${MESSAGE_LOCALES.join(", ")}); without it, the first of these the Accept-Language header names, else ${DEFAULT_MESSAGE_LOCALE}`,
    }),
})
  .strict()
  .openapi("CreateGuestOrder");

// The link's token travels in the body, never in a URL (where logs and proxies would keep it).
const LinkToken = z
  .string()
  .min(1)
  .max(200)
  .openapi({ description: "The token of the order link mailed to the guest (or of `guestLink`)" });

export const GuestViewBody = z.object({ token: LinkToken }).strict().openapi("GuestOrderView");

export const GuestPayBody = z
  .object({ token: LinkToken, paymentMethodId: ConfirmQuery.shape.paymentMethodId })
  .strict()
  .openapi("GuestOrderPayment");

export const LookupBody = z
  .object({
    number: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,40}$/, "letters, digits and '-'")
      .openapi({ example: "EC-2026-000123" }),
    email: Email,
  })
  .strict()
  .openapi("GuestOrderLookup");

export const GuestOrderSchema = OrderSchema.extend({
  guestLink: z
    .object({
      token: z.string().openapi({ description: "The credential of POST /api/orders/guest/view and /api/orders/guest/pay" }),
      expiresAt: z.string(),
    })
    .openapi({ description: "A fresh signed link to the order (the one mailed has its own expiry)" }),
}).openapi("GuestOrder");
