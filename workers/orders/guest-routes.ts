/**
 * Guest checkout under /api/orders, without an account: a guest orders the
 * guest cart of their signed `cart_id` cookie with an email address, then
 * reaches the order with the signed link mailed to that address (its token
 * is the credential: read, pay) or with the order number and the address.
 * The order runs the same object and saga as any other; its owner is a
 * guest marker until a verified account with that address claims it
 * (guest-claim.ts). Placing orders and looking them up are throttled per
 * client address, as sign-ups are.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { getCookie } from "hono/cookie";
import { type Answer, OrderErrors, ordersConfig, presentOrder } from "../../durable-objects/order/index.ts";
import { CART_COOKIE, verifiedGuestCartId } from "../cart/index.ts";
import { validateAddress } from "../delivery/index.ts";
import { clientAddress, holdAttempt } from "../identity/index.ts";
import { orderInvoicePdf } from "../invoices/index.ts";
import { safeEqual } from "../platform/auth.ts";
import { type AppContext, type AppEnv, dbOf } from "../platform/context.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import { jsonContent, pick } from "../platform/http-schemas.ts";
import { newId } from "../platform/ids.ts";
import { DEFAULT_MESSAGE_LOCALE, preferredMessageLocale } from "../platform/message-locales.ts";
import { validationHook } from "../platform/problem-response.ts";
import { guestMarker, orderOfGuestLink, signGuestLink } from "./guest-links.ts";
import { CreateGuestOrderBody, GuestOrderSchema, GuestPayBody, GuestViewBody, LookupBody } from "./guest-schemas.ts";
import { orderIdForKey, requestHash } from "./idempotency.ts";
import { requestedCodes } from "./order-codes.ts";
import { findGuestOrderByNumber } from "./queries.ts";
import { IdempotencyHeader, OrderSchema } from "./schemas.ts";
import { orderBundle, orderObject, traceOf } from "./service.ts";
import { answerError } from "./view.ts";

const tags = ["Orders"];
// No bearer token: the guest cart's cookie, or the link's token, is the credential.
const security: Record<string, string[]>[] = [{}];
type GuestOrderBody = z.infer<typeof GuestOrderSchema>;
type OrderBody = z.infer<typeof OrderSchema>;
const HOUR_MS = 3_600_000;

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: pick(422)[422].content["application/problem+json"].schema } },
});
const throttled = problem("Too many attempts from this client address; see Retry-After");

/** The problem an object's answer carried, as the error the gateway sends. */
function problemOf(answer: Extract<Answer, { error: unknown }>): ApiError {
  const err = answerError(answer);
  if (answer.status === 503) err.extras.headers = { "retry-after": "2" };
  return err;
}

/** The order's answer with a fresh link (the guest pays through it), or the problem it carried. */
async function withLink(c: AppContext, answer: Answer, guestEmail: string) {
  if (!("order" in answer)) throw problemOf(answer);
  const guestLink = await signGuestLink(c.env, { id: answer.order.id, guestEmail });
  return c.json({ ...(answer.order as OrderBody), guestLink } as GuestOrderBody, answer.status as 200);
}

/** Counts the attempt against the client address's hourly budget (429 with Retry-After past it). */
async function throttle(c: AppContext, what: "guest-order" | "order-lookup", limit: number): Promise<void> {
  await holdAttempt(c.env, [`${what}:addr:${clientAddress(c)}`], { limit, windowMs: HOUR_MS });
}

const createGuestRoute = createRoute({
  method: "post",
  path: "/guest",
  tags,
  security,
  summary: "Place a guest order from the guest cart of the `cart_id` cookie, with an email address",
  description:
    "As POST /api/orders (pricing, tax, promotion code, all-or-nothing reservation, Idempotency-Key), for a guest: the lines are the guest cart's (or `lines`), the order's mails go to `guestEmail` with a signed link to the order, in `locale` (else the first supported language of Accept-Language, else English), and the answer carries a link token of its own (`guestLink`) to pay with POST /api/orders/guest/pay. 403 with a bearer token (signed-in customers use POST /api/orders); 422 GUEST_CART_REQUIRED without a signed guest cart cookie, and every 422 of POST /api/orders; 429 past GUEST_ORDERS_PER_ADDRESS_PER_HOUR from one client address (Retry-After).",
  request: {
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: CreateGuestOrderBody } } },
  },
  responses: {
    201: jsonContent(GuestOrderSchema, "The pending guest order, with a link token"),
    ...pick(403, 409, 422),
    429: throttled,
    503: problem("A dependency is unavailable (repeat with the same Idempotency-Key), or guest checkout is not configured"),
  },
});

const readGuestRoute = createRoute({
  method: "post",
  path: "/guest/view",
  tags,
  security,
  summary: "A guest order through its signed link",
  description:
    "The token of the link mailed to the guest (or of `guestLink`) answers its order. A token we did not sign for that order and address (guessed, altered, another order's) is 404, like an unknown order; a genuine one past its expiry is 410 ORDER_LINK_EXPIRED (look the order up by number and email for a fresh one).",
  request: { body: { required: true, content: { "application/json": { schema: GuestViewBody } } } },
  responses: { 200: jsonContent(OrderSchema, "The order"), ...pick(404, 422), 410: problem("The link has expired") },
});

const guestInvoiceRoute = createRoute({
  method: "post",
  path: "/guest/invoice",
  tags,
  security,
  summary: "A guest order's invoice as PDF, through its signed link",
  description:
    "The token is checked as for POST /api/orders/guest/view: 404 when it is not genuine (or the invoice is not issued yet: it is once the order is confirmed), 410 when it expired.",
  request: { body: { required: true, content: { "application/json": { schema: GuestViewBody } } } },
  responses: {
    200: {
      description: "The invoice as PDF; its data is also attached to the file (InvoiceData)",
      content: { "application/pdf": { schema: z.string().openapi({ type: "string", format: "binary" }) } },
    },
    ...pick(404, 422),
    410: problem("The link has expired"),
  },
});

const confirmGuestRoute = createRoute({
  method: "post",
  path: "/guest/pay",
  tags,
  security,
  summary: "Pay for a pending guest order, with its link token as the credential",
  description:
    "The checkout saga of PUT /api/orders/{id}/confirm, with its answers: 200 confirmed, 202 still going, 402 PAYMENT_DECLINED, 409 ORDER_EXPIRED or ORDER_STATE_CONFLICT, 503 ORDER_IN_PROGRESS. The token is checked as for POST /api/orders/guest/view: 404 when it is not genuine, 410 when it expired.",
  request: { headers: IdempotencyHeader, body: { required: true, content: { "application/json": { schema: GuestPayBody } } } },
  responses: {
    200: jsonContent(OrderSchema, "Confirmed"),
    202: jsonContent(OrderSchema, "Still in progress: awaiting the payment's settlement, or a retry is planned"),
    402: problem("The payment was refused; the order was cancelled"),
    ...pick(404, 409, 422),
    410: problem("The link has expired"),
    503: problem("Interrupted; the order finishes by itself"),
  },
});

const lookupRoute = createRoute({
  method: "post",
  path: "/lookup",
  tags,
  security,
  summary: "Find a guest order by its number and the guest's email address",
  description:
    "Both must match a guest order (the address case-insensitively, compared in constant time); a wrong pair is 404, the same as an unknown number, so the answer says nothing about which half was wrong. The answer carries a fresh link token. 429 past ORDER_LOOKUPS_PER_ADDRESS_PER_HOUR from one client address (Retry-After); 422 for a malformed number or address.",
  request: { body: { required: true, content: { "application/json": { schema: LookupBody } } } },
  responses: { 200: jsonContent(GuestOrderSchema, "The order, with a link token"), ...pick(404, 422), 429: throttled },
});

export const guestOrderRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

guestOrderRoutes
  .openapi(createGuestRoute, async (c) => {
    if (c.get("principal"))
      throw new ApiError(ErrorCode.FORBIDDEN, "Guest checkout is for guests: a signed-in customer orders with POST /api/orders");
    const body = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"] ?? null;
    await throttle(c, "guest-order", ordersConfig.read(c.env).GUEST_ORDERS_PER_ADDRESS_PER_HOUR);
    const cartId = await verifiedGuestCartId(c.env, getCookie(c, CART_COOKIE));
    if (!cartId)
      throw new ApiError(OrderErrors.GUEST_CART_REQUIRED, "Guest checkout orders the guest cart: add items to the cart first", {
        errors: [{ field: "cookie.cart_id", message: "no guest cart cookie signed by this server" }],
      });
    const checked = validateAddress(body.shippingAddress);
    if (!checked.ok)
      throw new ApiError(ErrorCode.VALIDATION_FAILED, "The shipping address is not valid", {
        errors: checked.issues.map((i) => ({ field: i.path ? `shippingAddress.${i.path}` : "shippingAddress", message: i.message })),
      });
    const owner = await guestMarker(cartId);
    const { guestEmail, locale, ...order } = body;
    const language = locale ?? preferredMessageLocale(c.req.header("accept-language")) ?? DEFAULT_MESSAGE_LOCALE;
    const orderId = key ? await orderIdForKey(owner, key) : newId("ord");
    const answer = await orderObject(c.env, orderId).create({
      orderId,
      userId: owner,
      idempotencyKey: key,
      requestHash: await requestHash(body),
      address: checked.address,
      lines: order.lines ?? null,
      notes: order.notes ?? null,
      promotionCodes: requestedCodes(order),
      correlationId: c.get("requestId"),
      ...traceOf(c.env),
      guest: { email: guestEmail, cartId, locale: language },
    });
    return (await withLink(c, answer, guestEmail)) as never;
  })
  .openapi(readGuestRoute, async (c) => {
    const db = dbOf(c);
    const order = await orderOfGuestLink(c.env, db, c.req.valid("json").token);
    const b = await orderBundle(db, order.id);
    if (!b) throw notFound("order");
    return c.json((await presentOrder(db, b)) as OrderBody, 200);
  })
  .openapi(guestInvoiceRoute, async (c) => {
    const db = dbOf(c);
    const order = await orderOfGuestLink(c.env, db, c.req.valid("json").token);
    return (await orderInvoicePdf(c.env, db, order.id)) as never;
  })
  .openapi(confirmGuestRoute, async (c) => {
    const { token, paymentMethodId } = c.req.valid("json");
    const order = await orderOfGuestLink(c.env, dbOf(c), token);
    // The token proves the guest's address: the object sees the order's owner asking, as for a signed-in customer.
    const answer = await orderObject(c.env, order.id).confirm({
      orderId: order.id,
      paymentMethodId,
      idempotencyKey: c.req.valid("header")["idempotency-key"] ?? null,
      caller: { id: order.userId, kind: "user", staff: false },
      correlationId: c.get("requestId"),
      ...traceOf(c.env),
    });
    if ("order" in answer) return c.json(answer.order as OrderBody, answer.status as 200) as never;
    throw problemOf(answer);
  })
  .openapi(lookupRoute, async (c) => {
    const { number, email } = c.req.valid("json");
    await throttle(c, "order-lookup", ordersConfig.read(c.env).ORDER_LOOKUPS_PER_ADDRESS_PER_HOUR);
    const db = dbOf(c);
    const order = await findGuestOrderByNumber(db, number.toUpperCase());
    // Compared in constant time, and a wrong pair answers as an unknown number does.
    const matches = order?.guestEmail ? safeEqual(order.guestEmail.toLowerCase(), email.trim().toLowerCase()) : false;
    const b = matches && order ? await orderBundle(db, order.id) : null;
    if (!b?.order.guestEmail) throw notFound("order");
    const guestLink = await signGuestLink(c.env, { id: b.order.id, guestEmail: b.order.guestEmail });
    return c.json({ ...((await presentOrder(db, b)) as OrderBody), guestLink } as GuestOrderBody, 200);
  });
