/** /api/products/categories, /brands and /tags: public reads (edge-cached) and admin writes. */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { requireRole } from "../platform/auth.ts";
import { type AppContext, type AppEnv, dbOf } from "../platform/context.ts";
import { cursorParam, jsonContent } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { scopeOf } from "../platform/scope.ts";
import { createBrand, deleteBrand, getBrand, listBrands, listTags, updateBrand } from "./brands.ts";
import { createCategory, deleteCategory, getCategory, listCategories, updateCategory } from "./categories.ts";
import { cachedRead, canonicalUrl, EDGE_TTL_SECONDS } from "./edge-cache.ts";
import { contentHash, expectedVersion, versionedEtag } from "./etag.ts";
import { notModified, pickProblems, raw } from "./http.ts";
import { BrandId, CategoryId, IfMatchHeader, page, security } from "./schema-fields.ts";
import { BrandCreate, BrandPatch, BrandSchema, CategoryCreate, CategoryPatch, CategorySchema, TagSchema } from "./taxonomy-schemas.ts";
import { purgeAfterWrite } from "./write-support.ts";

const admin = requireRole("admin");
const PageQuery = (max: number) =>
  z.object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(max)
      .default(Math.min(100, max))
      .openapi({ description: `Page size, at most ${max}` }),
    cursor: cursorParam,
  });

/** A cached public list: any catalog change purges it. */
async function cachedList(c: AppContext, query: Record<string, string | number | undefined>, load: () => Promise<unknown>) {
  return raw(
    await cachedRead(c, canonicalUrl(c, c.req.path, query), async () => {
      const body = JSON.stringify(await load());
      return { body, etag: `"${await contentHash(body)}"`, ttlSeconds: EDGE_TTL_SECONDS, productId: null };
    }),
  );
}

type Kind = "Categories" | "Brands";
const withEtag = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  headers: z.object({ ETag: z.string() }),
  content: { "application/json": { schema } },
});
const writes = <C extends z.ZodType, P extends z.ZodType, S extends z.ZodType>(
  path: string,
  kind: Kind,
  idParam: z.ZodType<string>,
  create: C,
  patch: P,
  schema: S,
) => ({
  create: createRoute({
    method: "post",
    path,
    tags: [kind],
    summary: `Create (admin)`,
    security,
    middleware: [admin],
    request: { body: { required: true, content: { "application/json": { schema: create } } } },
    responses: { 201: withEtag(schema, "Created"), ...pickProblems(401, 403, 409, 422) },
  }),
  patch: createRoute({
    method: "patch",
    path: `${path}/{id}`,
    tags: [kind],
    summary: `Change (admin); If-Match required`,
    security,
    middleware: [admin],
    request: {
      params: z.object({ id: idParam }),
      headers: IfMatchHeader,
      body: { required: true, content: { "application/json": { schema: patch } } },
    },
    responses: { 200: withEtag(schema, "Changed"), ...pickProblems(401, 403, 404, 409, 422, 428) },
  }),
  remove: createRoute({
    method: "delete",
    path: `${path}/{id}`,
    tags: [kind],
    summary: `Delete (admin; refused while in use); If-Match required`,
    security,
    middleware: [admin],
    request: { params: z.object({ id: idParam }), headers: IfMatchHeader },
    responses: { 204: { description: "Deleted" }, ...pickProblems(401, 403, 404, 409, 428) },
  }),
});

const categoryWrites = writes("/categories", "Categories", CategoryId, CategoryCreate, CategoryPatch, CategorySchema);
const brandWrites = writes("/brands", "Brands", BrandId, BrandCreate, BrandPatch, BrandSchema);

const listCategoriesRoute = createRoute({
  method: "get",
  path: "/categories",
  tags: ["Categories"],
  summary: "The category tree in path order (parents before children)",
  request: { query: PageQuery(500) },
  responses: { 200: jsonContent(page("CategoryPage", CategorySchema), "A page of categories"), ...notModified, ...pickProblems(422) },
});
const listBrandsRoute = createRoute({
  method: "get",
  path: "/brands",
  tags: ["Brands"],
  summary: "Brands in slug order",
  request: { query: PageQuery(100) },
  responses: { 200: jsonContent(page("BrandPage", BrandSchema), "A page of brands"), ...notModified, ...pickProblems(422) },
});
const listTagsRoute = createRoute({
  method: "get",
  path: "/tags",
  tags: ["Products"],
  summary: "Tags on active products, with how many carry each",
  request: { query: PageQuery(100) },
  responses: { 200: jsonContent(page("TagCountPage", TagSchema), "A page of tags"), ...notModified, ...pickProblems(422) },
});

const versioned = <T extends { version: number }, S extends 200 | 201>(c: AppContext, view: T, status: S) =>
  c.json(view, status, { etag: versionedEtag(view.version) });

export const taxonomyRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(listCategoriesRoute, (c) => {
    const q = c.req.valid("query");
    return cachedList(c, q, () => listCategories(dbOf(c), { limit: q.limit, cursor: q.cursor }));
  })
  .openapi(listBrandsRoute, (c) => {
    const q = c.req.valid("query");
    return cachedList(c, q, () => listBrands(dbOf(c), { limit: q.limit, cursor: q.cursor }));
  })
  .openapi(listTagsRoute, (c) => {
    const q = c.req.valid("query");
    return cachedList(c, q, () => listTags(dbOf(c), { limit: q.limit, cursor: q.cursor }));
  })
  .openapi(categoryWrites.create, async (c) => {
    const view = await createCategory(dbOf(c), c.req.valid("json") as z.infer<typeof CategoryCreate>);
    await purgeAfterWrite(c, { productIds: [] });
    return versioned(c, view, 201);
  })
  .openapi(categoryWrites.patch, async (c) => {
    const { id } = c.req.valid("param");
    const { productIds } = await updateCategory(
      dbOf(c),
      id,
      expectedVersion(c.req.header("if-match")),
      c.req.valid("json") as z.infer<typeof CategoryPatch>,
      scopeOf(c),
    );
    await purgeAfterWrite(c, { productIds });
    return versioned(c, await getCategory(dbOf(c), id), 200);
  })
  .openapi(categoryWrites.remove, async (c) => {
    await deleteCategory(dbOf(c), c.req.valid("param").id, expectedVersion(c.req.header("if-match")));
    await purgeAfterWrite(c, { productIds: [] });
    return c.body(null, 204);
  })
  .openapi(brandWrites.create, async (c) => {
    const view = await createBrand(dbOf(c), c.req.valid("json") as z.infer<typeof BrandCreate>);
    await purgeAfterWrite(c, { productIds: [] });
    return versioned(c, view, 201);
  })
  .openapi(brandWrites.patch, async (c) => {
    const { id } = c.req.valid("param");
    const { productIds } = await updateBrand(
      dbOf(c),
      id,
      expectedVersion(c.req.header("if-match")),
      c.req.valid("json") as z.infer<typeof BrandPatch>,
      scopeOf(c),
    );
    await purgeAfterWrite(c, { productIds });
    return versioned(c, await getBrand(dbOf(c), id), 200);
  })
  .openapi(brandWrites.remove, async (c) => {
    await deleteBrand(dbOf(c), c.req.valid("param").id, expectedVersion(c.req.header("if-match")));
    await purgeAfterWrite(c, { productIds: [] });
    return c.body(null, 204);
  });
