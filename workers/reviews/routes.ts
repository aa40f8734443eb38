/**
 * The reviews family under /api/reviews: reading reviews and product
 * ratings (anyone), writing one's own reviews (signed-in users), and, from
 * feedback-routes.ts, votes, abuse reports and moderation.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { requireRole } from "../platform/auth.ts";
import { type AppEnv, ROLES } from "../platform/context.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";
import { requireUser } from "../platform/guards.ts";
import { jsonContent, ProblemSchema, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { scopeOf } from "../platform/scope.ts";
import { assertVisible, isAuthor, isModerator } from "./access.ts";
import { readRatingSummary } from "./aggregates.ts";
import { createReview, deleteReview, updateReview } from "./authoring.ts";
import { reviewFeedbackRoutes } from "./feedback-routes.ts";
import { findReview, listReviews, toReviewViews } from "./queries.ts";
import {
  ListQuery,
  ProductId,
  RatingSummarySchema,
  ReviewCreateBody,
  ReviewPageSchema,
  ReviewParam,
  ReviewPatchBody,
  ReviewSchema,
  security,
  tags,
} from "./schemas.ts";

const tooMany = {
  429: { description: "Posting too often; see Retry-After", content: { "application/problem+json": { schema: ProblemSchema } } },
};

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Reviews of a product or by a user, sorted and paginated",
  description:
    "Approved reviews are public. Authors may list their own reviews in any status (`userId` = themselves); moderators may list any status and, without productId or userId, the whole moderation queue (`status=pending&sort=oldest`).",
  request: { query: ListQuery },
  responses: { 200: jsonContent(ReviewPageSchema, "A page of reviews"), ...pick(401, 403, 422) },
});

const ratingRoute = createRoute({
  method: "get",
  path: "/ratings/{productId}",
  tags,
  summary: "A product's rating: average, count and histogram of its approved reviews",
  request: { params: z.object({ productId: ProductId }) },
  responses: { 200: jsonContent(RatingSummarySchema, "The product's rating (zeros without approved reviews)"), ...pick(422) },
});

const getRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "One review (unpublished ones: their author and moderators only)",
  request: { params: ReviewParam },
  responses: { 200: jsonContent(ReviewSchema, "The review"), ...pick(404, 422) },
});

const createReviewRoute = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Review a product (one review per user and product)",
  description:
    "Published at once, or held for moderation (`status: pending`) for new accounts and text with flagged words, links or contact details. Posting is throttled per user.",
  security,
  middleware: [requireUser] as const,
  request: { body: { required: true, content: { "application/json": { schema: ReviewCreateBody } } } },
  responses: { 201: jsonContent(ReviewSchema, "The new review"), ...pick(401, 403, 404, 409, 422), ...tooMany },
});

const updateRoute = createRoute({
  method: "patch",
  path: "/{id}",
  tags,
  summary: "Edit your review; new text is screened again",
  security,
  middleware: [requireUser] as const,
  request: { params: ReviewParam, body: { required: true, content: { "application/json": { schema: ReviewPatchBody } } } },
  responses: { 200: jsonContent(ReviewSchema, "The edited review"), ...pick(401, 403, 404, 422) },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Delete your review (administrators: any review)",
  security,
  middleware: [requireRole(...ROLES)] as const,
  request: { params: ReviewParam },
  responses: { 204: { description: "Deleted" }, ...pick(401, 403, 404, 422) },
});

export const reviewsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
reviewsRoutes
  .openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const principal = c.get("principal");
    if (!q.productId && !q.userId && !isModerator(principal)) {
      throw new ApiError(ErrorCode.VALIDATION_FAILED, "The query is not valid", {
        errors: [{ field: "query.productId", message: "Give productId or userId" }],
      });
    }
    if (q.status !== "approved" && !isModerator(principal)) {
      if (!principal)
        throw new ApiError(ErrorCode.UNAUTHORIZED, "Unpublished reviews need a bearer token", {
          headers: { "www-authenticate": 'Bearer realm="api"' },
        });
      if (!q.userId || !isAuthor(principal, { userId: q.userId, status: q.status }))
        throw new ApiError(ErrorCode.FORBIDDEN, "Only moderators list other people's unpublished reviews");
    }
    const scope = scopeOf(c);
    const page = await listReviews(scope.db, { ...q, verified: q.verified === "true" });
    return c.json({ items: await toReviewViews(scope.db, page.rows, principal), nextCursor: page.nextCursor }, 200);
  })
  .openapi(ratingRoute, async (c) => c.json(await readRatingSummary(scopeOf(c).db, c.req.valid("param").productId), 200))
  .openapi(getRoute, async (c) => {
    const scope = scopeOf(c);
    const row = assertVisible(scope.principal, await findReview(scope.db, c.req.valid("param").id));
    return c.json((await toReviewViews(scope.db, [row], scope.principal))[0]!, 200);
  })
  .openapi(createReviewRoute, async (c) => {
    const scope = scopeOf(c);
    const row = await createReview(scope, c.req.valid("json"));
    return c.json((await toReviewViews(scope.db, [row], scope.principal))[0]!, 201, { location: `/api/reviews/${row.id}` });
  })
  .openapi(updateRoute, async (c) => {
    const scope = scopeOf(c);
    const row = await updateReview(scope, c.req.valid("param").id, c.req.valid("json"));
    return c.json((await toReviewViews(scope.db, [row], scope.principal))[0]!, 200);
  })
  .openapi(deleteRoute, async (c) => {
    await deleteReview(scopeOf(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
reviewsRoutes.route("/", reviewFeedbackRoutes);
