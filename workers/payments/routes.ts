/**
 * /api/payments: authorise, capture, void and refund for internal and admin
 * use (the checkout calls the service directly); reads for the payment's
 * owner and staff; the provider's signed webhook.
 */
import { createRoute, OpenAPIHono, type z } from "@hono/zod-openapi";
import { hasRole, requireRole } from "../platform/auth.ts";
import { type AppContext, type AppEnv, dbOf } from "../platform/context.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import { assertOwnerOrRole } from "../platform/guards.ts";
import { jsonContent, ProblemSchema, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { scopeOf } from "../platform/scope.ts";
import { PaymentErrors } from "./errors.ts";
import { paymentRowsForOrder, paymentsPage, refundsOf } from "./records.ts";
import {
  AuthorizeBody,
  ListQuery,
  OptionalKeyHeader,
  PaymentIdParam,
  PaymentPageSchema,
  PaymentRef,
  PaymentSchema,
  PaymentWithRefundsSchema,
  ProviderParam,
  RefundBody,
  RefundSchema,
  RequiredKeyHeader,
  WebhookResultSchema,
} from "./schemas.ts";
import { authorizePayment, capturePayment, getPayment, type PaymentView, refundPayment, voidPayment } from "./service.ts";
import { handleWebhook } from "./webhooks.ts";

const tags = ["Payments"];
const security = [{ bearer: [] }];
const STAFF = { roles: ["support" as const, "admin" as const], what: "payment" };
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ProblemSchema } } });
const declined = problem(
  "Declined by the provider (PAYMENT_DECLINED); the problem carries the payment, its reason and whether a retry may succeed",
);
const unavailable = problem(
  "The provider did not answer (PAYMENT_PROVIDER_UNAVAILABLE): the outcome is unknown; retry with the same idempotency key. Or its circuit is open (PAYMENT_PROVIDER_CIRCUIT_OPEN): nothing was sent to it; retry after Retry-After",
);
const json = <T extends z.ZodType>(schema: T) => ({ required: true, content: { "application/json": { schema } } });

const mutation = <B extends z.ZodType, H extends typeof RequiredKeyHeader | typeof OptionalKeyHeader, R extends z.ZodType>(
  path: string,
  summary: string,
  body: B,
  header: H,
  result: R,
  description?: string,
) =>
  createRoute({
    method: "post",
    path,
    tags,
    summary,
    description,
    security,
    middleware: [requireRole("admin")] as const,
    request: { headers: header, body: json(body) },
    responses: {
      200: jsonContent(result, "Done"),
      202: jsonContent(result, "Accepted: the provider settles it later (webhook)"),
      402: declined,
      503: unavailable,
      ...pick(401, 403, 404, 409, 422),
    },
  });

const authorizeRoute = mutation(
  "/authorize",
  "Authorise an amount on a payment method (manual capture)",
  AuthorizeBody,
  RequiredKeyHeader,
  PaymentSchema,
  "One payment per (orderId, Idempotency-Key): a repeat returns the first payment and never authorises twice.",
);
const captureRoute = mutation("/capture", "Capture an authorised payment", PaymentRef, OptionalKeyHeader, PaymentSchema);
const voidRoute = mutation("/void", "Release an uncaptured authorisation", PaymentRef, OptionalKeyHeader, PaymentSchema);
const refundRoute = mutation(
  "/refund",
  "Refund part or all of a captured payment",
  RefundBody,
  RequiredKeyHeader,
  RefundSchema,
  "Refunds at most what was captured minus what was refunded (REFUND_EXCEEDS_CAPTURED otherwise). One refund per (payment, Idempotency-Key).",
);

const getRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "A payment with its refunds (its owner, support, admin)",
  security,
  request: { params: PaymentIdParam },
  responses: { 200: jsonContent(PaymentWithRefundsSchema, "The payment"), ...pick(401, 404, 422) },
});

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Payments, newest first: an order's (?orderId=), or the caller's own; staff see everyone's",
  security,
  request: { query: ListQuery },
  responses: { 200: jsonContent(PaymentPageSchema, "A page of payments"), ...pick(401, 403, 404, 422) },
});

const webhookRoute = createRoute({
  method: "post",
  path: "/webhooks/{provider}",
  tags,
  summary: "Provider webhook (no bearer token: signed over the raw body)",
  description:
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text shows the shape of the signed string, not a template.
    "HMAC-SHA256 over `${timestamp}.${rawBody}` in a `t=…,v1=…` header (`stripe-signature` for Stripe, `sandbox-signature` for the sandbox), 5 minutes tolerance, every configured secret and every v1 value tried. Duplicates (same event id) and events older than the payment's state are acknowledged without effect; unknown types are acknowledged.",
  request: { params: ProviderParam },
  responses: {
    200: jsonContent(WebhookResultSchema, "Acknowledged"),
    400: problem("The signed payload is not the provider's event format"),
    ...pick(401, 404),
  },
});

/** Declines answer 402 with the payment; a payment still settling answers 202. */
function paymentAnswer(c: AppContext, payment: PaymentView) {
  if (payment.status === "failed") {
    throw new ApiError(PaymentErrors.PAYMENT_DECLINED, `The payment was declined: ${payment.failureReason ?? "unknown reason"}`, {
      paymentId: payment.id,
      reason: payment.failureReason,
      retryable: payment.retryable,
      payment,
    });
  }
  return c.json(payment, payment.status === "pending_settlement" || payment.status === "requires_action" ? 202 : 200);
}

export const paymentsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
paymentsRoutes
  .openapi(authorizeRoute, async (c) => {
    // The scope is also the call's options: its events are relayed in the background of the request.
    const scope = scopeOf(c);
    const payment = await authorizePayment(
      scope.rt,
      scope.db,
      { ...c.req.valid("json"), idempotencyKey: c.req.valid("header")["idempotency-key"], correlationId: scope.correlationId },
      scope,
    );
    return paymentAnswer(c, payment);
  })
  .openapi(captureRoute, async (c) => {
    const scope = scopeOf(c);
    const { paymentId } = c.req.valid("json");
    const payment = await capturePayment(
      scope.rt,
      scope.db,
      { paymentId, idempotencyKey: c.req.valid("header")["idempotency-key"] ?? `capture:${paymentId}`, correlationId: scope.correlationId },
      scope,
    );
    return paymentAnswer(c, payment);
  })
  .openapi(voidRoute, async (c) => {
    const scope = scopeOf(c);
    const { paymentId } = c.req.valid("json");
    const payment = await voidPayment(
      scope.rt,
      scope.db,
      { paymentId, idempotencyKey: c.req.valid("header")["idempotency-key"] ?? `void:${paymentId}`, correlationId: scope.correlationId },
      scope,
    );
    return c.json(payment, 200);
  })
  .openapi(refundRoute, async (c) => {
    const scope = scopeOf(c);
    const refund = await refundPayment(
      scope.rt,
      scope.db,
      {
        ...c.req.valid("json"),
        idempotencyKey: c.req.valid("header")["idempotency-key"],
        correlationId: scope.correlationId,
        // The member of staff who asked: the audit trail names them, not the service.
        actor: scope.actor,
      },
      scope,
    );
    if (refund.status === "failed")
      throw new ApiError(PaymentErrors.REFUND_FAILED, "The provider could not refund this payment", { refund });
    return c.json(refund, refund.status === "pending" ? 202 : 200);
  })
  .openapi(getRoute, async (c) => {
    const db = dbOf(c);
    const payment = await getPayment(db, c.req.valid("param").id);
    if (!payment) throw notFound("payment");
    assertOwnerOrRole(c.get("principal"), payment.userId, STAFF);
    return c.json({ ...payment, refunds: await refundsOf(db, payment.id) }, 200);
  })
  .openapi(listRoute, async (c) => {
    const principal = c.get("principal");
    if (!principal)
      throw new ApiError(ErrorCode.UNAUTHORIZED, "This endpoint needs a bearer token", {
        headers: { "www-authenticate": 'Bearer realm="api"' },
      });
    const q = c.req.valid("query");
    const staff = hasRole(principal, ...STAFF.roles);
    if (!staff) {
      if (q.userId && q.userId !== principal.id) throw new ApiError(ErrorCode.FORBIDDEN, "Customers see their own payments only");
      // Another customer's order is not confirmed to exist.
      if (q.orderId && (await paymentRowsForOrder(dbOf(c), q.orderId)).some((p) => p.userId !== principal.id)) throw notFound("order");
    }
    const page = await paymentsPage(dbOf(c), {
      orderId: q.orderId,
      userId: staff ? q.userId : principal.id,
      cursor: q.cursor,
      limit: q.limit,
    });
    return c.json(page, 200);
  })
  .openapi(webhookRoute, async (c) => {
    const rawBody = await c.req.text();
    const scope = scopeOf(c);
    const result = await handleWebhook(scope.rt, scope.db, c.req.valid("param").provider, rawBody, c.req.raw.headers, scope);
    return c.json(result, 200);
  });
