/** Request and response schemas of guest checkout (guest-routes.ts). */
import { z } from "@hono/zod-openapi";
import { CreateOrderBody, OrderSchema } from "./schemas.ts";

const Email = z.email().max(254).openapi({ example: "guest@example.com" });

export const CreateGuestOrderBody = CreateOrderBody.extend({
  guestEmail: Email.openapi({ description: "Where the order's mails and its link go; the order is found again with it" }),
})
  .strict()
  .openapi("CreateGuestOrder");

export const GuestTokenParam = z.object({
  token: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: "token", in: "path" }, description: "The token of the order link mailed to the guest" }),
});

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
      token: z.string().openapi({ description: "The credential of GET /api/orders/guest/{token} and its confirm" }),
      expiresAt: z.string(),
    })
    .openapi({ description: "A fresh signed link to the order (the one mailed has its own expiry)" }),
}).openapi("GuestOrder");
