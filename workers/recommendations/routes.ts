/**
 * The recommendations API under /api/recommendations: product-page lists
 * (also bought, similar), trending, cart cross-sell (anyone), a shopper's
 * feed (themselves; staff anyone's), clicks on an experiment's lists, and
 * experiments (admins start them; admins and analysts read their figures).
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { hasRole, requireRole } from "../platform/auth.ts";
import type { AppEnv } from "../platform/context.ts";
import { notFound } from "../platform/errors.ts";
import { requireSelfOrRole, requireUser } from "../platform/guards.ts";
import { jsonContent, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { scopeOf } from "../platform/scope.ts";
import { cachedList, listKey } from "./edge-cache.ts";
import { recordClick } from "./experiment-outcomes.ts";
import { experimentReport, feedFor, startExperiment } from "./experiments.ts";
import { recommend } from "./recommenders.ts";
import {
  CartQuery,
  ClickBody,
  ExperimentCreateBody,
  ExperimentId,
  ExperimentSchema,
  FeedQuery,
  LimitOnly,
  ProductId,
  RecommendationSchema,
  security,
  TrendingQuery,
  tags,
  UserId,
} from "./schemas.ts";

const STAFF = ["support", "analyst", "admin"] as const;
const list = (description: string) => ({ 200: jsonContent(RecommendationSchema, description) });

const productList = (path: string, summary: string) =>
  createRoute({
    method: "get",
    path,
    tags,
    summary,
    request: { params: z.object({ id: ProductId }), query: LimitOnly },
    responses: { ...list("The list (empty when there is nothing to recommend)"), ...pick(422) },
  });
const alsoBoughtRoute = productList("/products/{id}/also-bought", "Customers who bought this also bought (co-purchase, cosine-weighted)");
const similarRoute = productList("/products/{id}/similar", "Similar products by content (category, brand, tags, price band, attributes)");

const trendingRoute = createRoute({
  method: "get",
  path: "/trending",
  tags,
  summary: "Trending products, overall or in a category (time-decayed views, cart adds and purchases)",
  request: { query: TrendingQuery },
  responses: { ...list("Trending products"), ...pick(422) },
});

const cartRoute = createRoute({
  method: "get",
  path: "/cart",
  tags,
  summary: "Cross-sell for a cart page: what buyers of the cart's products also bought",
  request: { query: CartQuery },
  responses: { ...list("Products to add"), ...pick(422) },
});

const clickRoute = createRoute({
  method: "post",
  path: "/clicks",
  tags,
  summary: "Record a click on a product of a list shown in an experiment",
  security,
  middleware: [requireUser] as const,
  request: { body: { required: true, content: { "application/json": { schema: ClickBody } } } },
  responses: { 204: { description: "Recorded (a repeated click counts once)" }, ...pick(401, 403, 404, 422) },
});

const startExperimentRoute = createRoute({
  method: "post",
  path: "/experiments",
  tags,
  summary: "Start an A/B experiment over the personal feed (stops the one running)",
  security,
  middleware: [requireRole("admin")] as const,
  request: { body: { required: true, content: { "application/json": { schema: ExperimentCreateBody } } } },
  responses: { 201: jsonContent(ExperimentSchema, "The experiment"), ...pick(401, 403, 422) },
});

const experimentRoute = createRoute({
  method: "get",
  path: "/experiments/{id}",
  tags,
  summary: "An experiment's click-through and conversion per arm",
  security,
  middleware: [requireRole("admin", "analyst")] as const,
  request: { params: z.object({ id: ExperimentId }) },
  responses: { 200: jsonContent(ExperimentSchema, "The experiment and its figures"), ...pick(401, 403, 404, 422) },
});

const feedRoute = createRoute({
  method: "get",
  path: "/{userId}",
  tags,
  summary: "A shopper's personal feed (themselves; staff may read anyone's)",
  description:
    "From the shopper's recent views, cart adds, purchases and reviews, without what they already own (consumables excepted) or what is out of stock; trending fills the rest. While an experiment runs in the placement, the shopper's own feed comes from their arm.",
  security,
  middleware: [requireSelfOrRole("userId", { roles: [...STAFF], what: "user" })] as const,
  request: { params: z.object({ userId: UserId }), query: FeedQuery },
  responses: { ...list("The feed"), ...pick(401, 404, 422) },
});

export const recommendationsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
recommendationsRoutes
  .openapi(alsoBoughtRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { limit } = c.req.valid("query");
    return cachedList(c, listKey(c, "also-bought", { id, limit }), "public", async () => ({
      ...(await recommend(scopeOf(c).db, "also-bought", { productId: id }, limit)),
      experiment: null,
    }));
  })
  .openapi(similarRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { limit } = c.req.valid("query");
    return cachedList(c, listKey(c, "similar", { id, limit }), "public", async () => ({
      ...(await recommend(scopeOf(c).db, "similar", { productId: id }, limit)),
      experiment: null,
    }));
  })
  .openapi(trendingRoute, async (c) => {
    const { category, limit } = c.req.valid("query");
    return cachedList(c, listKey(c, "trending", { category, limit }), "public", async () => ({
      ...(await recommend(scopeOf(c).db, "trending", { category: category ?? null }, limit)),
      experiment: null,
    }));
  })
  .openapi(cartRoute, async (c) => {
    const { productIds, limit } = c.req.valid("query");
    return cachedList(c, listKey(c, "cart", { ids: productIds.join(","), limit }), "public", async () => ({
      ...(await recommend(scopeOf(c).db, "cart-cross-sell", { productIds }, limit)),
      experiment: null,
    }));
  })
  .openapi(clickRoute, async (c) => {
    const scope = scopeOf(c);
    const { exposureId, productId } = c.req.valid("json");
    if (!(await recordClick(scope.db, scope.principal!.id, exposureId, productId))) throw notFound("exposure");
    return c.body(null, 204);
  })
  .openapi(startExperimentRoute, async (c) => {
    const db = scopeOf(c).db;
    const id = await startExperiment(db, c.req.valid("json"));
    return c.json(await experimentReport(db, id), 201, { location: `/api/recommendations/experiments/${id}` });
  })
  .openapi(experimentRoute, async (c) => c.json(await experimentReport(scopeOf(c).db, c.req.valid("param").id), 200))
  .openapi(feedRoute, async (c) => {
    const { userId } = c.req.valid("param");
    const { limit, placement } = c.req.valid("query");
    const principal = c.get("principal");
    // Staff looking at someone's feed see the personal list; only the shopper's own views take part in experiments.
    const self = principal?.kind === "user" && principal.id === userId;
    const viewer = self ? "self" : hasRole(principal, ...STAFF) ? "staff" : "self";
    return cachedList(c, listKey(c, "feed", { userId, limit, viewer, placement }), "private", async () => {
      const db = scopeOf(c).db;
      if (self) return feedFor(db, userId, placement, limit);
      return { ...(await recommend(db, "personal", { userId }, limit)), experiment: null };
    });
  });
