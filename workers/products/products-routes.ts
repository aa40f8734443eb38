/** /api/products: public reads (edge-cached) and admin writes of products and their images. */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { requireRole } from "../platform/auth.ts";
import { platformConfig } from "../platform/config.ts";
import { type AppContext, type AppEnv, dbOf } from "../platform/context.ts";
import { ApiError, ErrorCode, notFound } from "../platform/errors.ts";
import { jsonContent } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { scopeOf } from "../platform/scope.ts";
import { cachedRead, canonicalUrl, EDGE_TTL_SECONDS, isAdmin } from "./edge-cache.ts";
import { contentHash, expectedVersion, versionedEtag } from "./etag.ts";
import { notModified, pickProblems, raw } from "./http.ts";
import { IMAGE_TYPES, imageTypeOf, MEDIA_MAX_BYTES, validateImage } from "./image-validation.ts";
import { keepQuotesOf } from "./last-good-quotes.ts";
import { listProducts } from "./listing.ts";
import { addImage, removeImage } from "./media.ts";
import { cacheSeconds } from "./presentation.ts";
import { loadProductView } from "./product-read.ts";
import {
  ExternalImage,
  ImageUploadQuery,
  ListQuerySchema,
  ProductCreate,
  ProductPatch,
  ProductSchema,
  ProductSummarySchema,
} from "./product-schemas.ts";
import { recordProductView } from "./product-views.ts";
import { createProduct, deleteProduct, updateProduct } from "./product-write.ts";
import { IfMatchHeader, ImageId, ProductId, page, security } from "./schema-fields.ts";
import { purgeAfterWrite } from "./write-support.ts";

const admin = requireRole("admin");
const tags = ["Products"];
const IdParam = z.object({ id: ProductId });
const withEtag = (description: string) => ({
  description,
  headers: z.object({ ETag: z.string() }),
  content: { "application/json": { schema: ProductSchema } },
});

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "List products: filter, sort, paginate (edge-cached; ETag and 304)",
  request: { query: ListQuerySchema },
  responses: {
    200: jsonContent(page("ProductSummaryPage", ProductSummarySchema), "A page of products"),
    ...notModified,
    ...pickProblems(403, 422),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "One product by id or slug, with variants, prices and stock (edge-cached; ETag and 304)",
  // One template with the writes ({id}), so generated clients see one path; a slug is accepted here too.
  request: { params: z.object({ id: z.string().min(1).max(120).openapi({ description: "The product's id or its slug" }) }) },
  responses: { 200: withEtag("The product"), ...notModified, ...pickProblems(404) },
});

const createRouteDef = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Create a product with its variants (admin)",
  security,
  middleware: [admin],
  request: { body: { required: true, content: { "application/json": { schema: ProductCreate } } } },
  responses: { 201: withEtag("Created"), ...pickProblems(401, 403, 409, 422) },
});

const patchRoute = createRoute({
  method: "patch",
  path: "/{id}",
  tags,
  summary: "Change a product (admin); If-Match with the ETag you read, 409 if it changed since",
  security,
  middleware: [admin],
  request: { params: IdParam, headers: IfMatchHeader, body: { required: true, content: { "application/json": { schema: ProductPatch } } } },
  responses: { 200: withEtag("Changed"), ...pickProblems(401, 403, 404, 409, 422, 428) },
});

const deleteRouteDef = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Delete a product and its variants (admin); If-Match required",
  security,
  middleware: [admin],
  request: { params: IdParam, headers: IfMatchHeader },
  responses: { 204: { description: "Deleted" }, ...pickProblems(401, 403, 404, 409, 428) },
});

const binary = { schema: z.string().openapi({ type: "string", format: "binary" }) };
const addImageRoute = createRoute({
  method: "post",
  path: "/{id}/images",
  tags,
  summary: "Add an image (admin): upload the bytes (JPEG, PNG, GIF, WebP, AVIF) or send JSON with an external https URL; If-Match required",
  security,
  middleware: [admin],
  request: {
    params: IdParam,
    headers: IfMatchHeader,
    query: ImageUploadQuery,
    body: {
      content: { "application/json": { schema: ExternalImage }, ...Object.fromEntries(Object.keys(IMAGE_TYPES).map((t) => [t, binary])) },
    },
  },
  responses: { 201: withEtag("The product with its new image"), ...pickProblems(401, 403, 404, 409, 413, 415, 422, 428) },
});

const removeImageRoute = createRoute({
  method: "delete",
  path: "/{id}/images/{imageId}",
  tags,
  summary: "Remove an image from a product (admin); If-Match required",
  security,
  middleware: [admin],
  request: { params: IdParam.extend({ imageId: ImageId }), headers: IfMatchHeader },
  responses: { 200: withEtag("The product without the image"), ...pickProblems(401, 403, 404, 409, 428) },
});

/** The admin's view of a product after a write, with its new ETag. */
async function productResponse<S extends 200 | 201>(c: AppContext, id: string, status: S) {
  const loaded = await loadProductView(dbOf(c), id, { includeHidden: true, at: new Date() });
  if (!loaded) throw notFound("product");
  const body = JSON.stringify(loaded.view);
  return c.json(loaded.view, status, {
    etag: versionedEtag(loaded.view.version, await contentHash(body)),
    "cache-control": "private, no-store",
    ...(status === 201 ? { location: `/api/products/${id}` } : {}),
  });
}

export const productRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    if (q.status && q.status !== "active" && !isAdmin(c))
      throw new ApiError(ErrorCode.FORBIDDEN, "Only admins list products that are not active");
    const at = new Date();
    const res = await cachedRead(c, canonicalUrl(c, c.req.path, q), async () => {
      const result = await listProducts(dbOf(c), { ...q, status: q.status ?? "active" }, at);
      const body = JSON.stringify({ items: result.items, nextCursor: result.nextCursor });
      return {
        body,
        etag: `"${await contentHash(body)}"`,
        ttlSeconds: cacheSeconds(EDGE_TTL_SECONDS, at, result.nextChange),
        productId: null,
      };
    });
    return raw(res);
  })
  .openapi(getRoute, async (c) => {
    const { id: idOrSlug } = c.req.valid("param");
    const at = new Date();
    const res = await cachedRead(c, canonicalUrl(c, c.req.path), async () => {
      const loaded = await loadProductView(dbOf(c), idOrSlug, { includeHidden: isAdmin(c), at });
      if (!loaded) return null;
      keepQuotesOf(c.env, new URL(c.req.url).origin, loaded.view);
      const body = JSON.stringify(loaded.view);
      return {
        body,
        etag: versionedEtag(loaded.view.version, await contentHash(body)),
        ttlSeconds: cacheSeconds(EDGE_TTL_SECONDS, at, loaded.nextChange),
        productId: loaded.view.id,
      };
    });
    recordProductView(c, idOrSlug);
    return raw(res);
  })
  .openapi(createRouteDef, async (c) => {
    const id = await createProduct(dbOf(c), c.req.valid("json"), scopeOf(c));
    await purgeAfterWrite(c, { productIds: [id] });
    return productResponse(c, id, 201);
  })
  .openapi(patchRoute, async (c) => {
    const { id } = c.req.valid("param");
    const versions = expectedVersion(c.req.header("if-match"));
    await updateProduct(dbOf(c), id, versions, c.req.valid("json"), scopeOf(c));
    await purgeAfterWrite(c, { productIds: [id] });
    return productResponse(c, id, 200);
  })
  .openapi(deleteRouteDef, async (c) => {
    const { id } = c.req.valid("param");
    await deleteProduct(dbOf(c), id, expectedVersion(c.req.header("if-match")), scopeOf(c));
    await purgeAfterWrite(c, { productIds: [id] });
    return c.body(null, 204);
  })
  .openapi(addImageRoute, async (c) => {
    const { id } = c.req.valid("param");
    const versions = expectedVersion(c.req.header("if-match"));
    const contentType = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    const scope = scopeOf(c);
    if (contentType === "application/json") {
      const body = c.req.valid("json") as z.infer<typeof ExternalImage>;
      await addImage(dbOf(c), c.env, id, versions, { kind: "external", url: body.url }, { alt: body.alt, position: body.position }, scope);
    } else {
      imageTypeOf(contentType);
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const type = validateImage(bytes, contentType, Math.min(MEDIA_MAX_BYTES, platformConfig.read(c.env).MAX_BODY_BYTES));
      const q = c.req.valid("query");
      await addImage(dbOf(c), c.env, id, versions, { kind: "upload", bytes, type }, { alt: q.alt, position: q.position }, scope);
    }
    await purgeAfterWrite(c, { productIds: [id] });
    return productResponse(c, id, 201);
  })
  .openapi(removeImageRoute, async (c) => {
    const { id, imageId } = c.req.valid("param");
    await removeImage(dbOf(c), id, imageId, expectedVersion(c.req.header("if-match")), scopeOf(c));
    await purgeAfterWrite(c, { productIds: [id] });
    return productResponse(c, id, 200);
  });
