/**
 * /api/inventory: a SKU's availability (public, also live over a WebSocket),
 * multi-line reservations (any signed-in principal; commit is for services
 * and admins), and the admin routes of admin-routes.ts.
 */
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { holdAttempt } from "../identity/index.ts";
import { hasRole, requireRole } from "../platform/auth.ts";
import type { AppContext, AppEnv, Principal } from "../platform/context.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import type { Actor } from "../platform/event-envelope.ts";
import { jsonContent, ProblemSchema, pick } from "../platform/http-schemas.ts";
import { fieldErrors, validationHook } from "../platform/problem-response.ts";
import { actorOf } from "../platform/scope.ts";
import { inventoryAdminRoutes } from "./admin-routes.ts";
import { InventoryErrors } from "./errors.ts";
import { reservationIdForKey } from "./idempotency.ts";
import {
  ExtendBody,
  IdempotencyHeader,
  ReleaseBody,
  ReservationParam,
  ReservationSchema,
  ReserveBody,
  SkuParam,
  StockLevelSchema,
} from "./schemas.ts";
import * as service from "./service.ts";
import { isShopper, type LimitProblem, SHOPPER_HOLDS, shopperExtendProblem, shopperHoldProblems } from "./shopper-holds.ts";

const security = [{ bearer: [] }];
const tags = ["Inventory"];
const reservationResponses = { 200: jsonContent(ReservationSchema, "The reservation"), ...pick(401, 404, 409, 422) };
const tooMany = {
  429: {
    description: "A shopper's new holds and extensions are rate-limited; see Retry-After",
    content: { "application/problem+json": { schema: ProblemSchema } },
  },
};

// The routes using these require a role, so there is a principal (and an actor).
const principal = (c: AppContext) => c.get("principal")!;
const actor = (c: AppContext): Actor => actorOf(principal(c))!;
const isAdmin = (p: Principal) => hasRole(p, "admin");

/**
 * A shopper's hold stays within SHOPPER_HOLDS (422 naming the fields) and
 * their new holds and extensions within its rate (429); staff and services
 * are not limited here.
 */
async function withinShopperLimits(c: AppContext, p: Principal, problems: LimitProblem[]): Promise<void> {
  if (!isShopper(p)) return;
  if (problems.length > 0)
    throw new ApiError(InventoryErrors.HOLD_LIMIT, "Shoppers hold a few units for a few minutes; check out to keep them longer", {
      errors: problems.map((x) => ({ field: `body.${x.field}`, message: x.message })),
    });
  await holdAttempt(c.env, [`reserve:user:${p.id}`], SHOPPER_HOLDS.perWindow);
}

/** A reservation the caller may act on: their own, or any for an admin; others do not exist for them. */
async function ownReservation(c: AppContext, id: string) {
  const reservation = await service.getReservation(c.env, id);
  const p = principal(c);
  if (!reservation || (!isAdmin(p) && reservation.owner.id !== p.id)) throw notFound("reservation");
  return reservation;
}

const levelRoute = createRoute({
  method: "get",
  path: "/{sku}",
  tags,
  summary: "Stock level and availability of a SKU (live, from its stock object)",
  request: { params: SkuParam },
  responses: { 200: jsonContent(StockLevelSchema, "The stock level"), ...pick(404, 422) },
});

const reserveRoute = createRoute({
  method: "post",
  path: "/reserve",
  tags,
  summary: "Hold stock for one or more lines, all or nothing, for a limited time",
  description: `Lines are taken in SKU order; if one is refused, those already held are released. Idempotent on \`reservationId\` or the \`Idempotency-Key\` header. Customers hold at most ${SHOPPER_HOLDS.maxQuantityPerSku} units of a SKU, ${SHOPPER_HOLDS.maxLines} SKUs and ${SHOPPER_HOLDS.maxHoldSeconds} seconds per hold (422 HOLD_LIMIT), and start at most ${SHOPPER_HOLDS.perWindow.limit} holds or extensions in ${SHOPPER_HOLDS.perWindow.windowMs / 60_000} minutes (429); staff and the checkout are not limited.`,
  security,
  request: { headers: IdempotencyHeader, body: { required: true, content: { "application/json": { schema: ReserveBody } } } },
  responses: {
    201: jsonContent(ReservationSchema, "Held"),
    200: jsonContent(ReservationSchema, "A repeat: the first outcome"),
    ...pick(401, 409, 422),
    ...tooMany,
    503: { description: "A stock object could not be reached; repeat with the same id" },
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/reservations/{id}",
  tags,
  summary: "A reservation",
  security,
  request: { params: ReservationParam },
  responses: reservationResponses,
});

const commitRoute = createRoute({
  method: "post",
  path: "/reservations/{id}/commit",
  tags,
  summary: "Turn a held reservation into a sale (orders and admins)",
  security,
  request: { params: ReservationParam },
  responses: { ...reservationResponses, ...pick(403) },
});

const releaseRoute = createRoute({
  method: "post",
  path: "/reservations/{id}/release",
  tags,
  summary: "Give a reservation's stock back",
  security,
  request: { params: ReservationParam, body: { required: false, content: { "application/json": { schema: ReleaseBody } } } },
  responses: reservationResponses,
});

const extendRoute = createRoute({
  method: "post",
  path: "/reservations/{id}/extend",
  tags,
  summary: "Hold a reservation longer (never shorter)",
  description: `Customers extend to at most ${SHOPPER_HOLDS.maxTotalSeconds} seconds after the hold began.`,
  security,
  request: { params: ReservationParam, body: { required: true, content: { "application/json": { schema: ExtendBody } } } },
  responses: { ...reservationResponses, ...tooMany },
});

export const inventoryRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

inventoryRoutes.use("/reserve", requireRole("customer", "support", "analyst", "admin"));
inventoryRoutes.use("/reservations/*", requireRole("customer", "support", "analyst", "admin"));
inventoryRoutes.use("/reservations/:id/commit", requireRole("admin"));

inventoryRoutes
  .openapi(reserveRoute, async (c) => {
    const body = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"];
    const p = principal(c);
    await withinShopperLimits(c, p, shopperHoldProblems(body.lines, body.ttlSeconds));
    const reservationId = body.reservationId ?? (key ? await reservationIdForKey(p.id, key) : undefined);
    const { reservation, replayed } = await service.reserveStock(c.env, {
      reservationId,
      lines: body.lines,
      ttlSeconds: body.ttlSeconds,
      owner: actor(c),
      correlationId: c.get("requestId"),
    });
    if (replayed) c.header("idempotent-replayed", "true");
    c.header("location", `/api/inventory/reservations/${reservation.reservationId}`);
    return replayed ? c.json(reservation, 200) : c.json(reservation, 201);
  })
  .openapi(getRoute, async (c) => c.json(await ownReservation(c, c.req.valid("param").id), 200))
  .openapi(commitRoute, async (c) => {
    const { reservation } = await service.commitReservation(c.env, c.req.valid("param").id, actor(c));
    return c.json(reservation, 200);
  })
  .openapi(releaseRoute, async (c) => {
    const id = c.req.valid("param").id;
    await ownReservation(c, id);
    const { reservation } = await service.releaseReservation(c.env, id, actor(c), c.req.valid("json")?.reason);
    return c.json(reservation, 200);
  })
  .openapi(extendRoute, async (c) => {
    const id = c.req.valid("param").id;
    const held = await ownReservation(c, id);
    const ttlSeconds = c.req.valid("json").ttlSeconds;
    const problem = shopperExtendProblem(new Date(held.createdAt), ttlSeconds, new Date());
    await withinShopperLimits(c, principal(c), problem ? [problem] : []);
    const { reservation } = await service.extendReservation(c.env, id, ttlSeconds, actor(c));
    return c.json(reservation, 200);
  });

inventoryRoutes.route("/", inventoryAdminRoutes);

// The live view is a WebSocket served by the SKU's object (hibernation API): not an OpenAPI operation, but documented as one.
inventoryRoutes.openAPIRegistry.registerPath({
  method: "get",
  path: "/{sku}/live",
  tags,
  summary: "Live stock level over a WebSocket: a `level` message now and after every change; send anything to get one",
  request: { params: SkuParam },
  responses: {
    101: { description: "Switching to the WebSocket protocol" },
    ...pick(404, 422),
    426: {
      description: "Not a WebSocket upgrade (code WEBSOCKET_UPGRADE_REQUIRED)",
      content: { "application/problem+json": { schema: ProblemSchema } },
    },
    503: {
      description:
        "The SKU's object is unavailable, or this server holds as many live sockets as it may (code DEPENDENCY_UNAVAILABLE, with Retry-After)",
      content: { "application/problem+json": { schema: ProblemSchema } },
    },
  },
});
inventoryRoutes.get("/:sku/live", async (c) => {
  const sku = SkuParam.safeParse(c.req.param());
  if (!sku.success) throw new ApiError(ErrorCode.VALIDATION_FAILED, "The path is not valid", { errors: fieldErrors(sku.error, "param") });
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(InventoryErrors.WEBSOCKET_UPGRADE_REQUIRED, "Open this path as a WebSocket", { headers: { upgrade: "websocket" } });
  }
  // As for the level itself: a SKU that never had stock has no live view.
  if (!(await service.getAvailability(c.env, sku.data.sku)).tracked) throw notFound("stock record for this SKU");
  const url = new URL(c.req.url);
  url.searchParams.set("sku", sku.data.sku);
  const res = await service.stockObject(c.env, sku.data.sku).fetch(new Request(url, c.req.raw));
  // A fresh response, so the gateway's middleware may still add its headers.
  return new Response(null, { status: res.status, webSocket: res.webSocket, headers: new Headers(res.headers) });
});

inventoryRoutes.openapi(levelRoute, async (c) => {
  const level = await service.getAvailability(c.env, c.req.valid("param").sku);
  if (!level.tracked) throw notFound("stock record for this SKU");
  return c.json(level, 200);
});
