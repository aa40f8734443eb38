/** Return routes: the order's owner opens a return; staff receive and inspect it; owner and staff read it. */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { validationHook } from "../platform/problem-response.ts";
import { requireRole } from "../platform/auth.ts";
import { ROLES, dbOf, type AppEnv } from "../platform/context.ts";
import { jsonContent, pick } from "../platform/http-schemas.ts";
import { createReturn, getReturnFor, inspectReturn, markReturnReceived } from "./returns.ts";
import { actorOf, principalOf } from "./routes-shipments.ts";
import { CreateReturnBody, InspectReturnBody, ReturnId, ReturnSchema } from "./schemas.ts";

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
    const view = await createReturn(c.env, dbOf(c), { orderId: body.orderId, reason: body.reason, note: body.note ?? null, lines: body.lines, correlationId: c.get("requestId") }, principalOf(c));
    return c.json(view, 201);
  })
  .openapi(getReturnRoute, async (c) => c.json(await getReturnFor(dbOf(c), c.req.valid("param").id, principalOf(c)), 200))
  .openapi(receiveRoute, async (c) => {
    const db = dbOf(c);
    const id = c.req.valid("param").id;
    await getReturnFor(db, id, principalOf(c));
    return c.json(await markReturnReceived(db, id), 200);
  })
  .openapi(inspectRoute, async (c) => {
    // The body is optional: without one, everything is accepted.
    const body = (c.req.valid("json") as z.infer<typeof InspectReturnBody> | undefined) ?? {};
    const view = await inspectReturn(c.env, dbOf(c), { returnId: c.req.valid("param").id, lines: body.lines, note: body.note ?? null, correlationId: c.get("requestId") }, actorOf(principalOf(c)));
    return c.json(view, 200);
  });
