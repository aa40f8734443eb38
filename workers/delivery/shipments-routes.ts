/**
 * Shipment routes: staff create and advance shipments, owners and staff read
 * them, anyone with a tracking number sees the public tracking view.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { hasRole, requireRole } from "../platform/auth.ts";
import { type AppContext, type AppEnv, dbOf, type Principal } from "../platform/context.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import type { Actor } from "../platform/event-envelope.ts";
import { jsonContent, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { type Scope, scopeOf } from "../platform/scope.ts";
import { listShipments, publicTracking, shipmentRowById, shipmentRowByOrder, viewOf } from "./queries.ts";
import {
  AdvanceShipmentBody,
  CreateShipmentBody,
  PublicTrackingSchema,
  ShipmentId,
  ShipmentListQuery,
  ShipmentPageSchema,
  ShipmentSchema,
} from "./schemas.ts";
import { createShipment } from "./service.ts";
import { advanceShipment } from "./tracking.ts";
import type { ShipmentStatus } from "./types.ts";

const tags = ["Delivery"];
const security = [{ bearer: [] }];

export const isStaff = (p: Principal) => hasRole(p, "admin", "support");

/** The request's scope for a route that needs a signed-in caller: 401 without a bearer token. */
export function signedInScope(c: AppContext): Scope & { principal: Principal; actor: Actor } {
  const scope = scopeOf(c);
  const { principal, actor } = scope;
  if (!principal || !actor)
    throw new ApiError(ErrorCode.UNAUTHORIZED, "This endpoint needs a bearer token", {
      headers: { "www-authenticate": 'Bearer realm="api"' },
    });
  return Object.assign(scope, { principal, actor });
}

const createShipmentRoute = createRoute({
  method: "post",
  path: "/shipments",
  tags,
  summary: "Create the shipment of an order by hand (one per order: a repeat answers with the existing one)",
  security,
  middleware: [requireRole("admin")] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateShipmentBody } } } },
  responses: {
    200: jsonContent(ShipmentSchema, "The order already had this shipment"),
    201: jsonContent(ShipmentSchema, "Created, with a carrier label"),
    ...pick(401, 403, 422),
    503: { description: "The carrier is unavailable (CARRIER_UNAVAILABLE); nothing was stored" },
  },
});

const getShipmentRoute = createRoute({
  method: "get",
  path: "/shipments/{id}",
  tags,
  summary: "A shipment with its timeline (its customer, support and admin)",
  security,
  request: { params: z.object({ id: ShipmentId }) },
  responses: { 200: jsonContent(ShipmentSchema, "The shipment"), ...pick(401, 404, 422) },
});

const listShipmentsRoute = createRoute({
  method: "get",
  path: "/shipments",
  tags,
  summary: "Shipments, newest first: a customer's own, or any for support and admin (filter by order or status)",
  security,
  request: { query: ShipmentListQuery },
  responses: { 200: jsonContent(ShipmentPageSchema, "A page of shipments"), ...pick(401, 422) },
});

const advanceRoute = createRoute({
  method: "post",
  path: "/shipments/{id}/status",
  tags,
  summary: "Move a shipment to a new status by hand (e.g. dispatch a sandbox shipment); illegal moves are a 409",
  security,
  middleware: [requireRole("admin")] as const,
  request: {
    params: z.object({ id: ShipmentId }),
    body: { required: true, content: { "application/json": { schema: AdvanceShipmentBody } } },
  },
  responses: { 200: jsonContent(ShipmentSchema, "The shipment after the move"), ...pick(401, 403, 404, 409, 422) },
});

const trackingRoute = createRoute({
  method: "get",
  path: "/tracking/{trackingNumber}",
  tags,
  summary: "Public tracking: status, timeline and carrier, without personal data",
  request: { params: z.object({ trackingNumber: z.string().min(4).max(80).openapi({ example: "SBX123456789012" }) }) },
  responses: { 200: jsonContent(PublicTrackingSchema, "Tracking"), ...pick(404, 422) },
});

export const shipmentRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
shipmentRoutes
  .openapi(createShipmentRoute, async (c) => {
    const body = c.req.valid("json");
    const scope = signedInScope(c);
    const existing = await shipmentRowByOrder(scope.db, body.orderId);
    if (existing) return c.json(await viewOf(scope.db, existing), 200);
    const view = await createShipment(
      scope.rt,
      scope.db,
      { ...body, paymentId: body.paymentId ?? "", correlationId: scope.correlationId },
      scope.actor,
      scope,
    );
    return c.json(view, 201);
  })
  .openapi(getShipmentRoute, async (c) => {
    const { principal, db } = signedInScope(c);
    const row = await shipmentRowById(db, c.req.valid("param").id);
    // Someone else's shipment answers exactly like a missing one.
    if (!row || (row.userId !== principal.id && !isStaff(principal))) throw notFound("shipment");
    return c.json(await viewOf(db, row), 200);
  })
  .openapi(listShipmentsRoute, async (c) => {
    const { principal, db } = signedInScope(c);
    const q = c.req.valid("query");
    const page = await listShipments(db, {
      userId: isStaff(principal) ? undefined : principal.id,
      orderId: q.orderId,
      status: q.status as ShipmentStatus | undefined,
      cursor: q.cursor,
      limit: q.limit,
    });
    return c.json(page, 200);
  })
  .openapi(advanceRoute, async (c) => {
    const body = c.req.valid("json");
    const scope = signedInScope(c);
    const view = await advanceShipment(
      scope.rt,
      scope.db,
      {
        shipmentId: c.req.valid("param").id,
        status: body.status as ShipmentStatus,
        note: body.note ?? null,
        correlationId: scope.correlationId,
      },
      scope.actor,
      scope,
    );
    return c.json(view, 200);
  })
  .openapi(trackingRoute, async (c) => {
    const view = await publicTracking(dbOf(c), c.req.valid("param").trackingNumber);
    if (!view) throw notFound("tracking number");
    c.header("cache-control", "no-store");
    return c.json(view, 200);
  });
