/** /api/products/discounts (admin): the discounts the pricing function applies. */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { requireRole } from "../platform/auth.ts";
import { type AppEnv, dbOf } from "../platform/context.ts";
import { cursorParam, jsonContent, LimitQuery } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { DiscountCreate, DiscountPatch, DiscountSchema } from "./discount-schemas.ts";
import { createDiscount, deleteDiscount, getDiscount, listDiscounts, updateDiscount } from "./discounts.ts";
import { expectedVersion, versionedEtag } from "./etag.ts";
import { pickProblems } from "./http.ts";
import { DiscountId, IfMatchHeader, page, security } from "./schema-fields.ts";
import { purgeAfterWrite } from "./write-support.ts";

const tags = ["Discounts"];
const IdParam = z.object({ id: DiscountId });
const withEtag = (description: string) => ({
  description,
  headers: z.object({ ETag: z.string() }),
  content: { "application/json": { schema: DiscountSchema } },
});

const listRoute = createRoute({
  method: "get",
  path: "/discounts",
  tags,
  summary: "Discounts, newest first (admin)",
  security,
  request: {
    query: z.object({
      state: z.enum(["active", "scheduled", "ended"]).optional(),
      limit: LimitQuery,
      cursor: cursorParam,
    }),
  },
  responses: { 200: jsonContent(page("DiscountPage", DiscountSchema), "A page of discounts"), ...pickProblems(401, 403, 422) },
});
const getRoute = createRoute({
  method: "get",
  path: "/discounts/{id}",
  tags,
  summary: "One discount (admin)",
  security,
  request: { params: IdParam },
  responses: { 200: withEtag("The discount"), ...pickProblems(401, 403, 404) },
});
const createRouteDef = createRoute({
  method: "post",
  path: "/discounts",
  tags,
  summary: "Create a discount (admin): percentage or fixed, on a product, a category subtree or everything, from startsAt to endsAt",
  security,
  request: { body: { required: true, content: { "application/json": { schema: DiscountCreate } } } },
  responses: { 201: withEtag("Created"), ...pickProblems(401, 403, 422) },
});
const patchRoute = createRoute({
  method: "patch",
  path: "/discounts/{id}",
  tags,
  summary: "Change a discount (admin); If-Match required",
  security,
  request: {
    params: IdParam,
    headers: IfMatchHeader,
    body: { required: true, content: { "application/json": { schema: DiscountPatch } } },
  },
  responses: { 200: withEtag("Changed"), ...pickProblems(401, 403, 404, 409, 422, 428) },
});
const deleteRouteDef = createRoute({
  method: "delete",
  path: "/discounts/{id}",
  tags,
  summary: "Delete a discount (admin); If-Match required",
  security,
  request: { params: IdParam, headers: IfMatchHeader },
  responses: { 204: { description: "Deleted" }, ...pickProblems(401, 403, 404, 409, 428) },
});

export const discountRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
discountRoutes.use("/discounts", requireRole("admin"));
discountRoutes.use("/discounts/*", requireRole("admin"));
discountRoutes
  .openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    return c.json(await listDiscounts(dbOf(c), { limit: q.limit, cursor: q.cursor, state: q.state, at: new Date() }), 200);
  })
  .openapi(getRoute, async (c) => {
    const view = await getDiscount(dbOf(c), c.req.valid("param").id);
    return c.json(view, 200, { etag: versionedEtag(view.version) });
  })
  .openapi(createRouteDef, async (c) => {
    const input = c.req.valid("json");
    const { view, purge } = await createDiscount(dbOf(c), { ...input, startsAt: input.startsAt ?? new Date() }, new Date());
    await purgeAfterWrite(c, purge);
    return c.json(view, 201, { etag: versionedEtag(view.version), location: `/api/products/discounts/${view.id}` });
  })
  .openapi(patchRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { view, purge } = await updateDiscount(dbOf(c), id, expectedVersion(c.req.header("if-match")), c.req.valid("json"), new Date());
    await purgeAfterWrite(c, purge);
    return c.json(view, 200, { etag: versionedEtag(view.version) });
  })
  .openapi(deleteRouteDef, async (c) => {
    const purge = await deleteDiscount(dbOf(c), c.req.valid("param").id, expectedVersion(c.req.header("if-match")), new Date());
    await purgeAfterWrite(c, purge);
    return c.body(null, 204);
  });
