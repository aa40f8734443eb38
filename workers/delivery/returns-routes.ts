/** Return routes: the order's owner opens a return; staff receive and inspect it; owner and staff read it. */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { requireRole } from "../platform/auth.ts";
import { type AppEnv, ROLES } from "../platform/context.ts";
import { jsonContent, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { getReturnFor, returnsOfOrder } from "./return-queries.ts";
import { createReturn, inspectReturn, markReturnReceived } from "./returns.ts";
import { CreateReturnBody, InspectReturnBody, ReturnId, ReturnListQuery, ReturnListSchema, ReturnSchema } from "./schemas.ts";
import { signedInScope } from "./shipments-routes.ts";

const tags = ["Returns"];
const security = [{ bearer: [] }];
const params = z.object({ id: ReturnId });

const createReturnRoute = createRoute({
  method: "post",
  path: "/returns",
  tags,
  summary: "Start a return of (part of) a delivered order, within the return window; answers with the RMA number",
  security,
  middleware: [requireRole(...ROLES)] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateReturnBody } } } },
  responses: { 201: jsonContent(ReturnSchema, "The return (RMA)"), ...pick(401, 404, 409, 422) },
});

const getReturnRoute = createRoute({
  method: "get",
  path: "/returns/{id}",
  tags,
  summary: "A return (its customer, support and admin)",
  security,
  middleware: [requireRole(...ROLES)] as const,
  request: { params },
  responses: { 200: jsonContent(ReturnSchema, "The return"), ...pick(401, 404, 422) },
});

const listReturnsRoute = createRoute({
  method: "get",
  path: "/returns",
  tags,
  summary: "An order's returns, oldest first (at most 100): all of them for support and admin, a customer's own otherwise",
  description: "Another customer's order answers with an empty list, exactly like an order without returns. 422 without a valid `orderId`.",
  security,
  middleware: [requireRole(...ROLES)] as const,
  request: { query: ReturnListQuery },
  responses: { 200: jsonContent(ReturnListSchema, "The order's returns"), ...pick(401, 422) },
});

const receiveRoute = createRoute({
  method: "post",
  path: "/returns/{id}/receive",
  tags,
  summary: "The returned parcel arrived at the warehouse (idempotent)",
  security,
  middleware: [requireRole("admin")] as const,
  request: { params },
  responses: { 200: jsonContent(ReturnSchema, "The return, received"), ...pick(401, 403, 404, 422) },
});

const inspectRoute = createRoute({
  method: "post",
  path: "/returns/{id}/inspect",
  tags,
  summary: "Record what came back in order: accepted units are restocked and refunded at the price paid (retry-safe)",
  security,
  middleware: [requireRole("admin")] as const,
  request: { params, body: { required: false, content: { "application/json": { schema: InspectReturnBody } } } },
  responses: {
    200: jsonContent(ReturnSchema, "The return, refunded (or rejected when nothing was accepted)"),
    ...pick(401, 403, 404, 409, 422),
    503: { description: "Inventory or the payment provider is unavailable; the inspection is kept, call again to finish" },
  },
});

export const returnRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
returnRoutes
  .openapi(createReturnRoute, async (c) => {
    const body = c.req.valid("json");
    const scope = signedInScope(c);
    const view = await createReturn(
      scope.rt,
      scope.db,
      { orderId: body.orderId, reason: body.reason, note: body.note ?? null, lines: body.lines, correlationId: scope.correlationId },
      scope.principal,
      scope,
    );
    return c.json(view, 201);
  })
  .openapi(listReturnsRoute, async (c) => {
    const { db, principal } = signedInScope(c);
    return c.json({ items: await returnsOfOrder(db, c.req.valid("query").orderId, principal) }, 200);
  })
  .openapi(getReturnRoute, async (c) => {
    const { db, principal } = signedInScope(c);
    return c.json(await getReturnFor(db, c.req.valid("param").id, principal), 200);
  })
  .openapi(receiveRoute, async (c) => {
    const { db, principal } = signedInScope(c);
    const id = c.req.valid("param").id;
    await getReturnFor(db, id, principal);
    return c.json(await markReturnReceived(db, id), 200);
  })
  .openapi(inspectRoute, async (c) => {
    // The body is optional: without one, everything is accepted.
    const body = (c.req.valid("json") as z.infer<typeof InspectReturnBody> | undefined) ?? {};
    const scope = signedInScope(c);
    const view = await inspectReturn(
      scope.rt,
      scope.db,
      { returnId: c.req.valid("param").id, lines: body.lines, note: body.note ?? null, correlationId: scope.correlationId },
      scope.actor,
    );
    return c.json(view, 200);
  });
