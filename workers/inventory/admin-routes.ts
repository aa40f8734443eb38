/**
 * Admin routes of /api/inventory: receipts, adjustments, returns, settings,
 * the ledger, the low-stock report, the bootstrap; and the held-stock list
 * every member of staff may read.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { requireRole } from "../platform/auth.ts";
import { type AppContext, type AppEnv, dbOf } from "../platform/context.ts";
import { cursorParam, jsonContent, LimitQuery, pageOf, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { scopeOf } from "../platform/scope.ts";
import { runJob } from "../scheduler/index.ts";
import { inventoryBootstrap } from "./bootstrap.ts";
import { heldStock } from "./held-stock.ts";
import { operationIdForKey } from "./idempotency.ts";
import { stockLevelsPage } from "./levels.ts";
import { lowStockReport } from "./reports.ts";
import {
  AdjustBody,
  HeldStockPageSchema,
  IdempotencyHeader,
  LedgerEntrySchema,
  LowStockSchema,
  RestockBody,
  ReturnBody,
  SettingsBody,
  Sku,
  SkuHoldSchema,
  SkuParam,
  StockLevelRowSchema,
  StockLevelSchema,
} from "./schemas.ts";
import * as service from "./service.ts";

const security = [{ bearer: [] }];
const tags = ["Inventory admin"];
const levelResponses = { 200: jsonContent(StockLevelSchema, "The new stock level"), ...pick(401, 403, 409, 422) };

const body = <T extends z.ZodType>(schema: T) => ({ required: true, content: { "application/json": { schema } } });

const movement = (path: string, summary: string, schema: z.ZodType) =>
  createRoute({
    method: "post",
    path,
    tags,
    summary,
    security,
    request: { params: SkuParam, headers: IdempotencyHeader, body: body(schema) },
    responses: levelResponses,
  });

const restockRoute = movement("/{sku}/restock", "Receive stock (a receipt)", RestockBody);
const adjustRoute = movement("/{sku}/adjust", "Correct on-hand stock after a count, damage or loss (never below what is held)", AdjustBody);
const returnRoute = movement("/{sku}/returns", "Put returned units back on hand", ReturnBody);

const settingsRoute = createRoute({
  method: "put",
  path: "/{sku}/settings",
  tags,
  summary: "Set the low-stock threshold, reorder point and reorder quantity",
  security,
  request: {
    params: SkuParam,
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: SettingsBody } } },
  },
  responses: levelResponses,
});

const ledgerRoute = createRoute({
  method: "get",
  path: "/{sku}/ledger",
  tags,
  summary: "The movement ledger of a SKU, newest first: who moved what, when and why",
  security,
  request: {
    params: SkuParam,
    query: z.object({
      limit: LimitQuery,
      cursor: cursorParam,
    }),
  },
  responses: {
    200: jsonContent(pageOf("StockMovementPage", LedgerEntrySchema), "A page of movements"),
    ...pick(401, 403, 422),
  },
});

const lowStockRoute = createRoute({
  method: "get",
  path: "/reports/low-stock",
  tags,
  summary: "SKUs below their low-stock threshold, emptiest first (from the stock projection)",
  security,
  request: {
    query: z.object({
      limit: LimitQuery,
      cursor: cursorParam,
      status: z.enum(["low_stock", "out_of_stock"]).optional(),
    }),
  },
  responses: {
    200: jsonContent(pageOf("LowStockItemPage", LowStockSchema), "A page of the report"),
    ...pick(401, 403, 422),
  },
});

const heldStockRoute = createRoute({
  method: "get",
  path: "/reservations",
  tags,
  summary: "Stock held by live reservations: SKUs with units held, most held first, and the totals (from the stock projection)",
  description:
    "For any member of staff (admin, support, analyst): 403 to a customer. `sku` keeps the SKUs that start with it. `reserved` is the sum of a SKU's live holds as its last stock event announced it.",
  security,
  request: {
    query: z.object({
      limit: LimitQuery,
      cursor: cursorParam,
      sku: Sku.optional().openapi({ description: "Only SKUs starting with this" }),
    }),
  },
  responses: {
    200: jsonContent(HeldStockPageSchema, "A page of held stock, with the totals"),
    ...pick(401, 403, 422),
  },
});

const levelsRoute = createRoute({
  method: "get",
  path: "/levels",
  tags,
  summary: "Every SKU's stock level (from the stock projection): by SKU prefix and status, sorted by SKU or emptiest first",
  description:
    "For any member of staff (admin, support, analyst): 403 to a customer. `status`: `out_of_stock` (nothing available), `low_stock` (below the SKU's threshold), `in_stock` (the rest).",
  security,
  request: {
    query: z.object({
      limit: LimitQuery,
      cursor: cursorParam,
      sku: Sku.optional().openapi({ description: "Only SKUs starting with this" }),
      status: z.enum(["in_stock", "low_stock", "out_of_stock"]).optional(),
      sort: z.enum(["sku", "available"]).default("sku").openapi({ description: "`sku` (A to Z) or `available` (emptiest first)" }),
    }),
  },
  responses: {
    200: jsonContent(pageOf("StockLevelPage", StockLevelRowSchema), "A page of stock levels"),
    ...pick(401, 403, 422),
  },
});

const skuHoldsRoute = createRoute({
  method: "get",
  path: "/{sku}/holds",
  tags,
  summary: "A SKU's live holds, soonest expiry first: reservation, units, status, expiry and who placed each",
  description:
    "For any member of staff (admin, support, analyst): 403 to a customer. Read from the SKU's stock object, so it is exact now; a SKU that never had stock has none.",
  security,
  request: { params: SkuParam, query: z.object({ limit: LimitQuery, cursor: cursorParam }) },
  responses: {
    200: jsonContent(pageOf("SkuHoldPage", SkuHoldSchema), "A page of live holds"),
    ...pick(401, 403, 422),
  },
});

const bootstrapRoute = createRoute({
  method: "post",
  path: "/bootstrap",
  tags,
  summary: "Open the stock object of every SKU the projection has but no object confirmed (the demo seed); safe to repeat",
  security,
  responses: {
    200: jsonContent(
      z.object({ runId: z.string(), outcome: z.string(), result: z.unknown() }).openapi("InventoryBootstrapRun"),
      "The job run",
    ),
    ...pick(401, 403),
  },
});

export const inventoryAdminRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
for (const path of ["/:sku/restock", "/:sku/adjust", "/:sku/returns", "/:sku/settings", "/:sku/ledger", "/reports/*", "/bootstrap"])
  inventoryAdminRoutes.use(path, requireRole("admin"));
// Exactly this path: /reservations/{id} and its actions keep their own guards.
inventoryAdminRoutes.on("GET", ["/reservations", "/levels", "/:sku/holds"], requireRole("admin", "support", "analyst"));

function movementRequest(
  c: AppContext,
  sku: string,
  b: { operationId?: string; reason?: string },
  key: string | undefined,
): service.MovementRequest {
  // Every movement route requires the admin role, so there is a principal (and an actor).
  const { principal, actor, correlationId } = scopeOf(c);
  return {
    sku,
    operationId: b.operationId ?? (key ? operationIdForKey(principal!.id, key) : undefined),
    actor: actor!,
    reason: b.reason,
    correlationId,
  };
}

inventoryAdminRoutes
  .openapi(restockRoute, async (c) => {
    const b = c.req.valid("json") as z.infer<typeof RestockBody>;
    const { level } = await service.restock(c.env, {
      ...movementRequest(c, c.req.valid("param").sku, b, c.req.valid("header")["idempotency-key"]),
      quantity: b.quantity,
    });
    return c.json(level, 200);
  })
  .openapi(adjustRoute, async (c) => {
    const b = c.req.valid("json") as z.infer<typeof AdjustBody>;
    const { level } = await service.adjust(c.env, {
      ...movementRequest(c, c.req.valid("param").sku, b, c.req.valid("header")["idempotency-key"]),
      delta: b.delta,
    });
    return c.json(level, 200);
  })
  .openapi(returnRoute, async (c) => {
    const b = c.req.valid("json") as z.infer<typeof ReturnBody>;
    const { level } = await service.receiveReturn(c.env, {
      ...movementRequest(c, c.req.valid("param").sku, b, c.req.valid("header")["idempotency-key"]),
      quantity: b.quantity,
      reservationId: b.reservationId,
    });
    return c.json(level, 200);
  })
  .openapi(settingsRoute, async (c) => {
    const { operationId, ...settings } = c.req.valid("json");
    const { level } = await service.configure(c.env, {
      ...movementRequest(c, c.req.valid("param").sku, { operationId }, c.req.valid("header")["idempotency-key"]),
      settings,
    });
    return c.json(level, 200);
  })
  .openapi(ledgerRoute, async (c) => {
    const q = c.req.valid("query");
    const page = await service.ledgerPage(c.env, c.req.valid("param").sku, {
      cursor: q.cursor,
      limit: q.limit,
    });
    return c.json(page, 200);
  })
  .openapi(lowStockRoute, async (c) => {
    const q = c.req.valid("query");
    return c.json(await lowStockReport(dbOf(c), { limit: q.limit, cursor: q.cursor, status: q.status }), 200);
  })
  .openapi(heldStockRoute, async (c) => {
    const q = c.req.valid("query");
    return c.json(await heldStock(dbOf(c), { limit: q.limit, cursor: q.cursor, sku: q.sku }), 200);
  })
  .openapi(levelsRoute, async (c) => {
    const q = c.req.valid("query");
    return c.json(await stockLevelsPage(dbOf(c), q), 200);
  })
  .openapi(skuHoldsRoute, async (c) => {
    const q = c.req.valid("query");
    return c.json(await service.liveHoldsPage(c.env, c.req.valid("param").sku, { cursor: q.cursor, limit: q.limit }), 200);
  })
  .openapi(bootstrapRoute, async (c) => {
    const run = await runJob(c.env, inventoryBootstrap, { trigger: "manual" });
    return c.json({ runId: run.id, outcome: run.outcome, result: run.result }, 200);
  });
