/** /api/taxes (admin): tax regions with their rates, and products' tax classes. */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { requireRole } from "../platform/auth.ts";
import { type AppEnv, dbOf } from "../platform/context.ts";
import { ApiError, notFound } from "../platform/errors.ts";
import { jsonContent, listOf, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { loadProductSnapshot } from "../products/index.ts";
import { TaxErrors } from "./errors.ts";
import { regionsChanged } from "./region-cache.ts";
import { deleteRegion, listRegions, type RegionRow, setProductClass, upsertRegion } from "./store.ts";
import { ROUNDING_MODES, TAX_CLASSES } from "./tax-rules.ts";

const tags = ["Taxes"];
const security = [{ bearer: [] }];
const Rate = z.number().int().min(0).max(10_000).openapi({ description: "Basis points: 1900 = 19 %" });

const RegionCode = z
  .string()
  .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, "a country code, or country-region (ISO 3166-2): DE, US-CA")
  .openapi({ example: "US-CA" });
const RegionBody = z
  .object({
    pricesIncludeTax: z.boolean().openapi({ description: "Prices are read as tax-inclusive (EU style) or tax is added on top (US style)" }),
    rounding: z.enum(ROUNDING_MODES).openapi({ description: "Round the tax per line, or once per rate over the order" }),
    standardBp: Rate,
    reducedBp: Rate,
    shippingTaxClass: z.enum(TAX_CLASSES).openapi({ description: "How shipping is taxed; exempt: not at all" }),
  })
  .strict()
  .openapi("TaxRegionRequest");
const RegionSchema = RegionBody.extend({
  code: z.string(),
  country: z.string(),
  region: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
}).openapi("TaxRegion");
const ProductParam = z.object({ productId: z.string().regex(/^prd_[0-9A-Z]{26}$/) });
const ClassBody = z
  .object({ taxClass: z.enum(TAX_CLASSES) })
  .strict()
  .openapi("ProductTaxClassRequest");
const ProductClassSchema = z.object({ productId: z.string(), taxClass: z.enum(TAX_CLASSES) }).openapi("ProductTaxClass");

const view = (r: RegionRow): z.infer<typeof RegionSchema> => ({
  code: r.code,
  country: r.country,
  region: r.region || null,
  pricesIncludeTax: r.pricesIncludeTax,
  rounding: r.rounding,
  standardBp: r.standardBp,
  reducedBp: r.reducedBp,
  shippingTaxClass: r.shippingTaxClass,
  version: r.version,
  updatedAt: r.updatedAt.toISOString(),
});

const listRoute = createRoute({
  method: "get",
  path: "/regions",
  tags,
  summary: "Tax regions and their rates (admin)",
  security,
  responses: { 200: jsonContent(listOf("TaxRegionList", RegionSchema), "Every region"), ...pick(401, 403) },
});
const putRoute = createRoute({
  method: "put",
  path: "/regions/{code}",
  tags,
  summary: "Create or replace a tax region (admin): a country (DE) or a state of one (US-CA)",
  description: "A destination takes its state's rules if kept, else its country's, else it is not taxed.",
  security,
  request: {
    params: z.object({ code: RegionCode }),
    body: { required: true, content: { "application/json": { schema: RegionBody } } },
  },
  responses: { 200: jsonContent(RegionSchema, "The region"), ...pick(401, 403, 422) },
});
const deleteRoute = createRoute({
  method: "delete",
  path: "/regions/{code}",
  tags,
  summary: "Remove a tax region (admin): orders to it are no longer taxed",
  security,
  request: { params: z.object({ code: RegionCode }) },
  responses: { 204: { description: "Removed" }, ...pick(401, 403, 404, 422) },
});
const classRoute = createRoute({
  method: "put",
  path: "/products/{productId}",
  tags,
  summary: "Set a product's tax class (admin): standard (the default), reduced, zero or exempt",
  security,
  request: { params: ProductParam, body: { required: true, content: { "application/json": { schema: ClassBody } } } },
  responses: { 200: jsonContent(ProductClassSchema, "The product's class"), ...pick(401, 403, 404, 422) },
});

export const taxesRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
taxesRoutes.use("*", requireRole("admin"));
taxesRoutes
  .openapi(listRoute, async (c) => c.json({ items: (await listRegions(dbOf(c))).map(view) }, 200))
  .openapi(putRoute, async (c) => {
    const { code } = c.req.valid("param");
    const [country, region = ""] = code.split("-") as [string, string?];
    const row = await upsertRegion(dbOf(c), country, region, c.req.valid("json"));
    regionsChanged();
    return c.json(view(row), 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { code } = c.req.valid("param");
    if (!(await deleteRegion(dbOf(c), code))) throw new ApiError(TaxErrors.TAX_REGION_NOT_FOUND, `No tax region ${code}`);
    regionsChanged();
    return c.body(null, 204);
  })
  .openapi(classRoute, async (c) => {
    const { productId } = c.req.valid("param");
    const db = dbOf(c);
    if (!(await loadProductSnapshot(db, productId))) throw notFound("product");
    const { taxClass } = c.req.valid("json");
    await setProductClass(db, productId, taxClass);
    return c.json({ productId, taxClass }, 200);
  });
