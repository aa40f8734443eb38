/** /api/promotions (admin): promotion codes and their usage report. */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { PROMOTION_KINDS } from "../../db/schema/promotions.ts";
import { requireRole } from "../platform/auth.ts";
import { type AppEnv, dbOf } from "../platform/context.ts";
import { notFound } from "../platform/errors.ts";
import { jsonContent, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { type CodeRow, createCode, listCodes, usageOf } from "./store.ts";

const tags = ["Promotions"];
const security = [{ bearer: [] }];
const Minor = z.number().int().min(0).max(999_999_999_999);
const Count = z.number().int().min(1).max(10_000_000);

const CodeCreate = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_-]{3,40}$/, "3 to 40 letters, digits, - or _"),
    kind: z.enum(PROMOTION_KINDS),
    percentBp: z.number().int().min(1).max(10_000).nullable().default(null).openapi({ description: "percentage: basis points off" }),
    amountMinor: Minor.nullable().default(null).openapi({ description: "fixed: minor units off the order" }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .nullable()
      .default(null),
    minSubtotalMinor: Minor.default(0),
    productIds: z
      .array(z.string().regex(/^prd_[0-9A-Z]{26}$/))
      .max(500)
      .default([]),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }).nullable().default(null),
    usageLimit: Count.nullable().default(null).openapi({ description: "Uses in all; null: unlimited" }),
    perCustomerLimit: Count.nullable().default(null),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === "percentage" && v.percentBp === null)
      ctx.addIssue({ code: "custom", path: ["percentBp"], message: "required for percentage" });
    if (v.kind === "fixed" && (v.amountMinor === null || v.amountMinor === 0 || v.currency === null))
      ctx.addIssue({ code: "custom", path: ["amountMinor"], message: "a positive amount and its currency are required for fixed" });
    if (v.endsAt && v.startsAt && v.endsAt <= v.startsAt)
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must be after startsAt" });
  });

const CodeSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    kind: z.enum(PROMOTION_KINDS),
    percentBp: z.number().int().nullable(),
    amountMinor: z.number().int().nullable(),
    currency: z.string().nullable(),
    minSubtotalMinor: z.number().int(),
    productIds: z.array(z.string()),
    startsAt: z.string(),
    endsAt: z.string().nullable(),
    usageLimit: z.number().int().nullable(),
    perCustomerLimit: z.number().int().nullable(),
    uses: z.number().int(),
    createdAt: z.string(),
  })
  .openapi("PromotionCode");
const UsageSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    uses: z.number().int(),
    usageLimit: z.number().int().nullable(),
    redemptions: z.array(
      z.object({
        status: z.enum(["held", "released"]),
        currency: z.string(),
        orders: z.number().int(),
        customers: z.number().int(),
        discountMinor: z.number().int(),
      }),
    ),
  })
  .openapi("PromotionUsage");

const view = (r: CodeRow): z.infer<typeof CodeSchema> => ({
  ...r,
  startsAt: r.startsAt.toISOString(),
  endsAt: r.endsAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});

const createRouteDef = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Create a promotion code (admin): percentage or fixed off, or free shipping, with its window, minimum, products and limits",
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
  responses: { 200: jsonContent(z.object({ items: z.array(CodeSchema) }), "Codes"), ...pick(401, 403) },
});
const usageRoute = createRoute({
  method: "get",
  path: "/{id}/usage",
  tags,
  summary: "A code's usage report (admin): uses in force, uses given back by cancelled orders, customers and discount granted",
  security,
  request: { params: z.object({ id: z.string().regex(/^prm_[0-9A-Z]{26}$/) }) },
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
    return c.json(view(row), 201);
  })
  .openapi(listRoute, async (c) => c.json({ items: (await listCodes(dbOf(c))).map(view) }, 200))
  .openapi(usageRoute, async (c) => {
    const usage = await usageOf(dbOf(c), c.req.valid("param").id);
    if (!usage) throw notFound("promotion code");
    return c.json(usage, 200);
  });
