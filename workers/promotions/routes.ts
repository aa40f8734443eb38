/** /api/promotions (admin): promotion codes, their changes and deactivation, and their usage report. */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { requireRole } from "../platform/auth.ts";
import { type AppEnv, dbOf } from "../platform/context.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import { jsonContent, listOf, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { CodeChange, CodeCreate, CodeIdParam, CodeSchema, UsageSchema } from "./schemas.ts";
import { type CodeRow, createCode, getCode, listCodes, updateCode, usageOf } from "./store.ts";

const tags = ["Promotions"];
const security = [{ bearer: [] }];

const view = (r: CodeRow): z.infer<typeof CodeSchema> => ({
  ...r,
  startsAt: r.startsAt.toISOString(),
  endsAt: r.endsAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});
const etag = (r: CodeRow) => `"v${r.version}"`;

/** The version an If-Match names (`"v3"`); none: the change applies to the code as it is now. */
function ifMatchVersion(header: string | undefined): number | null {
  if (header === undefined) return null;
  const m = /^"v(\d{1,9})"$/.exec(header.trim());
  if (!m)
    throw new ApiError(ErrorCode.VALIDATION_FAILED, 'If-Match names a version such as "v3"', {
      errors: [{ field: "if-match", message: 'expected "v<version>"' }],
    });
  return Number(m[1]);
}
const IfMatch = z.object({
  "if-match": z
    .string()
    .max(100)
    .optional()
    .openapi({ description: 'The ETag of your last read ("v3"); a code changed since is refused (409)' }),
});

const createRouteDef = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Create a promotion code (admin)",
  description:
    "Percentage or fixed off, free shipping, or buy X get Y; with its window, minimum, eligible products, categories and brands, limits, priority and whether it combines with other codes. 409 PROMOTION_CODE_TAKEN when the code exists; 422 for bad input.",
  security,
  request: { body: { required: true, content: { "application/json": { schema: CodeCreate } } } },
  responses: { 201: jsonContent(CodeSchema, "Created"), ...pick(401, 403, 409, 422) },
});
const listRoute = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Promotion codes, newest first (admin; the latest 200)",
  security,
  responses: { 200: jsonContent(listOf("PromotionCodeList", CodeSchema), "Codes"), ...pick(401, 403) },
});
const getRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "A promotion code (admin), with its version in the ETag",
  security,
  request: { params: CodeIdParam },
  responses: { 200: jsonContent(CodeSchema, "The code"), ...pick(401, 403, 404, 422) },
});
const patchRoute = createRoute({
  method: "patch",
  path: "/{id}",
  tags,
  summary: "Change a promotion code (admin): window, limits, minimum, priority, combinable, active",
  description:
    "If-Match (optional) names the version read; 409 PROMOTION_VERSION_CONFLICT when the code changed since, 409 PROMOTION_LIMIT_BELOW_USES for a usage limit below the uses taken, 422 for bad input or a window ending before it starts. Orders already placed keep their discount.",
  security,
  request: {
    params: CodeIdParam,
    headers: IfMatch,
    body: { required: true, content: { "application/json": { schema: CodeChange } } },
  },
  responses: { 200: jsonContent(CodeSchema, "The changed code"), ...pick(401, 403, 404, 409, 422) },
});
const deactivateRoute = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Deactivate a promotion code (admin)",
  description:
    "The code is refused from then on (carts show it as not applying, orders get 422); it is kept with its redemptions for the usage report, and PATCH with active: true brings it back. Repeats answer the same.",
  security,
  request: { params: CodeIdParam, headers: IfMatch },
  responses: { 200: jsonContent(CodeSchema, "The deactivated code"), ...pick(401, 403, 404, 409, 422) },
});
const usageRoute = createRoute({
  method: "get",
  path: "/{id}/usage",
  tags,
  summary: "A code's usage report (admin): uses in force, uses given back by cancelled orders, customers and discount granted",
  security,
  request: { params: CodeIdParam },
  responses: { 200: jsonContent(UsageSchema, "Usage"), ...pick(401, 403, 404, 422) },
});

export const promotionsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
promotionsRoutes.use("*", requireRole("admin"));
promotionsRoutes
  .openapi(createRouteDef, async (c) => {
    const b = c.req.valid("json");
    const row = await createCode(dbOf(c), {
      ...b,
      startsAt: b.startsAt ? new Date(b.startsAt) : new Date(),
      endsAt: b.endsAt ? new Date(b.endsAt) : null,
    });
    c.header("etag", etag(row));
    return c.json(view(row), 201);
  })
  .openapi(listRoute, async (c) => c.json({ items: (await listCodes(dbOf(c))).map(view) }, 200))
  .openapi(getRoute, async (c) => {
    const row = await getCode(dbOf(c), c.req.valid("param").id);
    if (!row) throw notFound("promotion code");
    c.header("etag", etag(row));
    return c.json(view(row), 200);
  })
  .openapi(patchRoute, async (c) => {
    const b = c.req.valid("json");
    const { startsAt, endsAt, ...rest } = b;
    const change = {
      ...rest,
      ...(startsAt !== undefined ? { startsAt: new Date(startsAt) } : {}),
      ...(endsAt !== undefined ? { endsAt: endsAt === null ? null : new Date(endsAt) } : {}),
    };
    const row = await updateCode(dbOf(c), c.req.valid("param").id, ifMatchVersion(c.req.valid("header")["if-match"]), change);
    if (!row) throw notFound("promotion code");
    c.header("etag", etag(row));
    return c.json(view(row), 200);
  })
  .openapi(deactivateRoute, async (c) => {
    const db = dbOf(c);
    const { id } = c.req.valid("param");
    const expected = ifMatchVersion(c.req.valid("header")["if-match"]);
    const current = await getCode(db, id);
    if (!current) throw notFound("promotion code");
    // Deactivating an inactive code changes nothing (and so no version).
    const row = current.active || expected !== null ? await updateCode(db, id, expected, { active: false }) : current;
    if (!row) throw notFound("promotion code");
    c.header("etag", etag(row));
    return c.json(view(row), 200);
  })
  .openapi(usageRoute, async (c) => {
    const usage = await usageOf(dbOf(c), c.req.valid("param").id);
    if (!usage) throw notFound("promotion code");
    return c.json(usage, 200);
  });
