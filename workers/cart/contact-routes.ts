/**
 * A guest cart's reminder address: PUT /api/cart/contact leaves an email
 * address (and the language of the mail) on the guest cart, with an explicit
 * yes or no to marketing mail; DELETE removes it. Only with consent does an
 * abandoned cart's reminder go to it (durable-objects/cart/guest-contact.ts).
 * Signed-in shoppers are reminded at their account's address instead (403).
 * Setting an address is throttled per client address, as guest orders are,
 * so the endpoint cannot be used to mail strangers in bulk.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { cartConfig } from "../../durable-objects/cart/index.ts";
import { clientAddress, holdAttempt } from "../identity/index.ts";
import type { AppContext, AppEnv } from "../platform/context.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import { jsonContent, pick } from "../platform/http-schemas.ts";
import { DEFAULT_MESSAGE_LOCALE, MESSAGE_LOCALES, preferredMessageLocale } from "../platform/message-locales.ts";
import { validationHook } from "../platform/problem-response.ts";
import { unwrap } from "./service.ts";
import { cartSession, keepGuestCookie } from "./session.ts";

const tags = ["Cart"];
// A guest's cart: its signed cookie is the credential (a bearer token is refused).
const security: Record<string, string[]>[] = [{}];
const HOUR_MS = 3_600_000;

const ContactBody = z
  .object({
    email: z.email().max(254).openapi({ example: "guest@example.com" }),
    marketingConsent: z.boolean().openapi({
      description: "The guest's explicit answer to receiving a reminder mail about this cart; only `true` sends one",
    }),
    locale: z
      .enum(MESSAGE_LOCALES)
      .optional()
      .openapi({ description: "The reminder's language; without it, the first supported one of Accept-Language, else English" }),
  })
  .strict()
  .openapi("GuestCartContact");

const ContactSchema = z
  .object({ email: z.string(), marketingConsent: z.boolean(), locale: z.enum(MESSAGE_LOCALES) })
  .openapi("GuestCartContactView");

const throttled = {
  description: "Too many addresses set from this client address; see Retry-After",
  content: { "application/problem+json": { schema: pick(422)[422].content["application/problem+json"].schema } },
};

const putRoute = createRoute({
  method: "put",
  path: "/contact",
  tags,
  security,
  summary: "Leave an email address on the guest cart, with or without consent to a reminder",
  description:
    "Guests only (403 with a bearer token: an account is reminded at its own address, under its marketing preference). Stores the address, the consent and the language on the guest cart of the `cart_id` cookie (making the cart and the cookie if there is none); replaces an earlier one. If the cart is abandoned (idle for its idle time with lines), CartAbandoned carries the address only when `marketingConsent` is true, and the notifications family sends one reminder (docs/notifications.md). 422 for a malformed address, a missing consent answer, an unknown locale or extra fields; 429 past GUEST_CART_CONTACTS_PER_ADDRESS_PER_HOUR from one client address (Retry-After).",
  request: { body: { required: true, content: { "application/json": { schema: ContactBody } } } },
  responses: { 200: jsonContent(ContactSchema, "The address as stored"), ...pick(403, 422), 429: throttled },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/contact",
  tags,
  security,
  summary: "Remove the guest cart's email address (and with it any consent to a reminder)",
  description: "Guests only (403 with a bearer token). Answers 204 whether or not the cart had an address.",
  responses: { 204: { description: "No address on the cart" }, ...pick(403) },
});

function guestsOnly(c: AppContext): void {
  if (c.get("principal"))
    throw new ApiError(
      ErrorCode.FORBIDDEN,
      "A signed-in shopper's cart reminders go to the account's address, under its marketing preference",
    );
}

export const contactRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

contactRoutes
  .openapi(putRoute, async (c) => {
    guestsOnly(c);
    const body = c.req.valid("json");
    const limit = cartConfig.read(c.env).GUEST_CART_CONTACTS_PER_ADDRESS_PER_HOUR;
    await holdAttempt(c.env, [`cart-contact:addr:${clientAddress(c)}`], { limit, windowMs: HOUR_MS });
    const locale = body.locale ?? preferredMessageLocale(c.req.header("accept-language")) ?? DEFAULT_MESSAGE_LOCALE;
    const contact = { email: body.email.trim().toLowerCase(), marketingConsent: body.marketingConsent, locale };
    const session = await cartSession(c, { create: true });
    unwrap(await session.stub!.setContact({ contact, caller: session.caller }));
    await keepGuestCookie(c, session);
    return c.json(contact, 200);
  })
  .openapi(deleteRoute, async (c) => {
    guestsOnly(c);
    const session = await cartSession(c, { create: false });
    if (session.stub) {
      unwrap(await session.stub.setContact({ contact: null, caller: session.caller }));
      await keepGuestCookie(c, session);
    }
    return c.body(null, 204);
  });
