/**
 * /api/orders: a signed-in user places orders (from explicit lines or the
 * cart), confirms them with a payment method (the checkout saga answers
 * synchronously), cancels them, and lists and reads their own. Support and
 * admin read and cancel anyone's; anyone else gets 404 for an order that is
 * not theirs, so order ids are never confirmed to strangers.
 */
import { createRoute, OpenAPIHono, type z } from "@hono/zod-openapi";
import { type Answer, presentOrder } from "../../durable-objects/order/index.ts";
import { validateAddress } from "../delivery/index.ts";
import { invoiceRoutes } from "../invoices/index.ts";
import { hasRole, requireRole } from "../platform/auth.ts";
import { type AppContext, type AppEnv, dbOf, type Principal, ROLES } from "../platform/context.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import { requireUser } from "../platform/guards.ts";
import { jsonContent, pick } from "../platform/http-schemas.ts";
import { newId } from "../platform/ids.ts";
import { validationHook } from "../platform/problem-response.ts";
import { guestOrderRoutes } from "./guest-routes.ts";
import { orderIdForKey, requestHash } from "./idempotency.ts";
import { requestedCodes } from "./order-codes.ts";
import {
  CancelBody,
  ConfirmQuery,
  CreateOrderBody,
  IdempotencyHeader,
  ListQuery,
  OrderPageSchema,
  OrderParam,
  OrderSchema,
} from "./schemas.ts";
import { orderBundle, orderObject, orderPage, traceOf } from "./service.ts";
import { answerError } from "./view.ts";

const tags = ["Orders"];
const security = [{ bearer: [] }];
const STAFF = ["support", "admin"] as const;
type OrderBody = z.infer<typeof OrderSchema>;

const principal = (c: AppContext): Principal => c.get("principal")!;
const isStaff = (p: Principal) => hasRole(p, ...STAFF);

const callerOf = (c: AppContext) => {
  const p = principal(c);
  return { id: p.id, kind: p.kind, staff: isStaff(p) };
};

function respond(c: AppContext, answer: Answer) {
  if ("order" in answer) return c.json(answer.order as OrderBody, answer.status);
  const err = answerError(answer);
  if (answer.status === 503) err.extras.headers = { "retry-after": String(err.extras.retryAfterSeconds ?? 2) };
  throw err;
}

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: pick(422)[422].content["application/problem+json"].schema } },
});

const createRouteDef = createRoute({
  method: "post",
  path: "/",
  tags,
  security,
  summary: "Place an order: price the lines now, reserve the stock, pending until confirmed",
  description:
    "Without `lines`, the caller's cart is ordered (and emptied of what was ordered). Prices come from the catalogue (discounts applied), shipping is a flat fee per currency (free above a threshold), tax is the destination's (see `tax`: added to the total where prices exclude it, contained in it where they include it). An order above 999,999,999,999 minor units is a 422 ORDER_TOTAL_TOO_LARGE. Every line is reserved or none (409 INSUFFICIENT_STOCK, nothing stored). 422: unknown or unsellable SKU, mixed currencies, an address that does not validate, an empty cart, an Idempotency-Key reused with another body. Promotion codes: `promotionCode` or `promotionCodes` (up to 5, not both), else the cart's; each is checked now: 422 PROMOTION_NOT_APPLICABLE when one does not apply or (named in the body) the stacking rules set it aside, 422 VALIDATION_FAILED for a code named twice, 409 PROMOTION_EXHAUSTED when its last use went to another order, 409 PROMOTION_CUSTOMER_LIMIT when the customer used it up.",
  request: { headers: IdempotencyHeader, body: { required: true, content: { "application/json": { schema: CreateOrderBody } } } },
  responses: {
    201: jsonContent(OrderSchema, "The pending order (a repeat of the key: the first answer)"),
    ...pick(401, 403, 409, 422),
    503: problem("A dependency is unavailable; repeat with the same Idempotency-Key"),
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags,
  security,
  summary: "Orders, newest first: the caller's own; support and admin anyone's",
  description:
    "Filters combine: status, an order number or its beginning (case-insensitive), and the UTC days placed between `from` and `to` (both inclusive). 403 when a customer names another user; 422 for an unknown status, a number with other characters than letters, digits and '-', a day that is not YYYY-MM-DD, `from` after `to`, or a cursor not from this list.",
  request: { query: ListQuery },
  responses: { 200: jsonContent(OrderPageSchema, "A page of orders"), ...pick(401, 403, 422) },
});

const getRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  security,
  summary: "An order with its lines, totals, payment, shipment, status timeline and saga steps",
  request: { params: OrderParam },
  responses: { 200: jsonContent(OrderSchema, "The order"), ...pick(401, 404, 422) },
});

const confirmRoute = createRoute({
  method: "put",
  path: "/{id}/confirm",
  tags,
  security,
  summary: "Pay for a pending order: authorise, capture, commit the stock, create the shipment",
  description:
    "Runs the checkout saga and answers with its outcome: 200 confirmed; 202 when it goes on by itself (the provider settles the payment later, or a dependency is unavailable and the step is retried); 402 PAYMENT_DECLINED when the payment is refused (stock released, order cancelled); 409 ORDER_EXPIRED when the stock hold had lapsed, ORDER_STATE_CONFLICT when the order is not pending; 503 ORDER_IN_PROGRESS when the run was cut short (it finishes by itself); 503 PAYMENT_PROVIDER_CIRCUIT_OPEN while the payment provider's circuit is open (nothing is charged, the order stays pending: confirm again after Retry-After). With an Idempotency-Key, a repeat gets the first settled answer.",
  request: { params: OrderParam, query: ConfirmQuery, headers: IdempotencyHeader },
  responses: {
    200: jsonContent(OrderSchema, "Confirmed"),
    202: jsonContent(OrderSchema, "Still in progress: awaiting the payment's settlement, or a retry is planned"),
    402: problem("The payment was refused; the order was cancelled"),
    ...pick(401, 404, 409, 422),
    503: problem(
      "Interrupted; the order finishes by itself (ORDER_IN_PROGRESS), or the payment provider's circuit is open (PAYMENT_PROVIDER_CIRCUIT_OPEN, with Retry-After)",
    ),
  },
});

const cancelRoute = createRoute({
  method: "put",
  path: "/{id}/cancel",
  tags,
  security,
  summary: "Cancel an order: stop the shipment, return the stock, refund or void the payment",
  description:
    "A confirmed order can be cancelled until its shipment leaves (then 409 ORDER_ALREADY_SHIPPED: start a return once it arrives). Repeats answer with the cancelled order. 202 when a compensation waits for a retry.",
  request: { params: OrderParam, body: { required: false, content: { "application/json": { schema: CancelBody } } } },
  responses: {
    200: jsonContent(OrderSchema, "Cancelled"),
    202: jsonContent(OrderSchema, "Cancelling: a compensation is retried"),
    ...pick(401, 403, 404, 409, 422),
    503: problem("A dependency is unavailable; try again"),
  },
});

export const ordersRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
// Guest checkout answers without a bearer token (its cookie or link is the credential): mounted before the sign-in guards.
ordersRoutes.route("/", guestOrderRoutes);
ordersRoutes.post("/", requireUser);
ordersRoutes.use("*", requireRole(...ROLES));

ordersRoutes
  .openapi(createRouteDef, async (c) => {
    const body = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"] ?? null;
    const user = principal(c);
    const checked = validateAddress(body.shippingAddress);
    if (!checked.ok)
      throw new ApiError(ErrorCode.VALIDATION_FAILED, "The shipping address is not valid", {
        errors: checked.issues.map((i) => ({ field: i.path ? `shippingAddress.${i.path}` : "shippingAddress", message: i.message })),
      });
    const orderId = key ? await orderIdForKey(user.id, key) : newId("ord");
    const answer = await orderObject(c.env, orderId).create({
      orderId,
      userId: user.id,
      idempotencyKey: key,
      requestHash: await requestHash(body),
      address: checked.address,
      lines: body.lines ?? null,
      notes: body.notes ?? null,
      promotionCodes: requestedCodes(body),
      correlationId: c.get("requestId"),
      ...traceOf(c.env),
    });
    return respond(c, answer) as never;
  })
  .openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const p = principal(c);
    if (q.userId && q.userId !== p.id && !isStaff(p))
      throw new ApiError(ErrorCode.FORBIDDEN, "Only support and admin list other users' orders");
    if (q.from && q.to && q.from > q.to)
      throw new ApiError(ErrorCode.VALIDATION_FAILED, "The query is not valid", {
        errors: [{ field: "query.from", message: "must not be after `to`" }],
      });
    const userId = q.userId ?? (isStaff(p) ? undefined : p.id);
    const filter = { userId, status: q.status, number: q.number, from: q.from, to: q.to };
    return c.json(await orderPage(dbOf(c), { ...filter, cursor: q.cursor, limit: q.limit }), 200);
  })
  .openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    const db = dbOf(c);
    const b = await orderBundle(db, id);
    const p = principal(c);
    // Someone else's order does not exist for a customer.
    if (!b || !((p.kind === "user" && p.id === b.order.userId) || isStaff(p))) throw notFound("order");
    return c.json((await presentOrder(db, b)) as OrderBody, 200);
  })
  .openapi(confirmRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { paymentMethodId } = c.req.valid("query");
    const key = c.req.valid("header")["idempotency-key"] ?? null;
    // The order's object checks the caller: only the owner confirms (paying is the customer's act); others get 404.
    const answer = await orderObject(c.env, id).confirm({
      orderId: id,
      paymentMethodId,
      idempotencyKey: key,
      caller: callerOf(c),
      correlationId: c.get("requestId"),
      ...traceOf(c.env),
    });
    return respond(c, answer) as never;
  })
  .openapi(cancelRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { reason } = c.req.valid("json");
    if (reason && reason !== "customer_request" && !isStaff(principal(c)))
      throw new ApiError(ErrorCode.FORBIDDEN, "Only staff cancel for another reason than the customer's request");
    // The order's object checks the caller: the owner, support or admin; others get 404.
    const answer = await orderObject(c.env, id).cancel({
      orderId: id,
      reason: reason ?? "customer_request",
      caller: callerOf(c),
      correlationId: c.get("requestId"),
      ...traceOf(c.env),
    });
    return respond(c, answer) as never;
  });

// An order's invoice and credit notes (the invoices family's documents), behind the same sign-in as the order.
ordersRoutes.route("/", invoiceRoutes);
