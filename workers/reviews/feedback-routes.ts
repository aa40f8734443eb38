/** Under /api/reviews/{id}: helpful votes and abuse reports (signed-in users), reports and decisions (moderators). */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { requireRole } from "../platform/auth.ts";
import type { AppEnv } from "../platform/context.ts";
import { requireUser } from "../platform/guards.ts";
import { cursorParam, jsonContent, LimitQuery, pageOf, pick } from "../platform/http-schemas.ts";
import { validationHook } from "../platform/problem-response.ts";
import { scopeOf } from "../platform/scope.ts";
import { MODERATOR_ROLES } from "./access.ts";
import { listReports, moderateReview, type ReportRow, reportReview } from "./moderation.ts";
import { toReviewViews } from "./queries.ts";
import { ModerationBody, ReportBody, ReportSchema, ReviewParam, ReviewSchema, security, tags, VoteBody, VoteSchema } from "./schemas.ts";
import { castVote, withdrawVote } from "./votes.ts";

const moderators = requireRole(...MODERATOR_ROLES);
const toReport = (r: ReportRow) => ({
  id: r.id,
  reviewId: r.reviewId,
  reporterId: r.reporterId,
  reason: r.reason,
  note: r.note,
  resolved: r.resolvedAt !== null,
  createdAt: r.createdAt.toISOString(),
});

const voteRoute = createRoute({
  method: "put",
  path: "/{id}/vote",
  tags,
  summary: "Vote a published review of someone else helpful or not; voting again changes your vote",
  security,
  middleware: [requireUser] as const,
  request: { params: ReviewParam, body: { required: true, content: { "application/json": { schema: VoteBody } } } },
  responses: { 200: jsonContent(VoteSchema, "Your vote and the review's counts"), ...pick(401, 403, 404, 409, 422) },
});

const unvoteRoute = createRoute({
  method: "delete",
  path: "/{id}/vote",
  tags,
  summary: "Withdraw your vote",
  security,
  middleware: [requireUser] as const,
  request: { params: ReviewParam },
  responses: { 200: jsonContent(VoteSchema, "The review's counts without your vote"), ...pick(401, 403, 404, 422) },
});

const reportRoute = createRoute({
  method: "post",
  path: "/{id}/reports",
  tags,
  summary: "Report a published review as abusive (once per review)",
  description: "Once three customers have reported a review since its last moderation decision, it goes back to moderation.",
  security,
  middleware: [requireUser] as const,
  request: { params: ReviewParam, body: { required: true, content: { "application/json": { schema: ReportBody } } } },
  responses: { 201: jsonContent(ReportSchema, "The report"), ...pick(401, 403, 404, 409, 422) },
});

const reportsRoute = createRoute({
  method: "get",
  path: "/{id}/reports",
  tags,
  summary: "A review's abuse reports, oldest first (moderators)",
  security,
  middleware: [moderators] as const,
  request: { params: ReviewParam, query: z.object({ limit: LimitQuery, cursor: cursorParam }) },
  responses: {
    200: jsonContent(pageOf("ReviewReportPage", ReportSchema), "A page of reports"),
    ...pick(401, 403, 404, 422),
  },
});

const moderateRoute = createRoute({
  method: "post",
  path: "/{id}/moderation",
  tags,
  summary: "Approve or reject a review (moderators); resolves its open reports",
  security,
  middleware: [moderators] as const,
  request: { params: ReviewParam, body: { required: true, content: { "application/json": { schema: ModerationBody } } } },
  responses: { 200: jsonContent(ReviewSchema, "The review after the decision"), ...pick(401, 403, 404, 422) },
});

export const reviewFeedbackRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
reviewFeedbackRoutes
  .openapi(voteRoute, async (c) => c.json(await castVote(scopeOf(c), c.req.valid("param").id, c.req.valid("json").helpful), 200))
  .openapi(unvoteRoute, async (c) => c.json(await withdrawVote(scopeOf(c), c.req.valid("param").id), 200))
  .openapi(reportRoute, async (c) => c.json(toReport(await reportReview(scopeOf(c), c.req.valid("param").id, c.req.valid("json"))), 201))
  .openapi(reportsRoute, async (c) => {
    const q = c.req.valid("query");
    const page = await listReports(scopeOf(c).db, c.req.valid("param").id, q.limit, q.cursor);
    return c.json({ items: page.items.map(toReport), nextCursor: page.nextCursor }, 200);
  })
  .openapi(moderateRoute, async (c) => {
    const scope = scopeOf(c);
    const row = await moderateReview(scope, c.req.valid("param").id, c.req.valid("json"));
    return c.json((await toReviewViews(scope.db, [row], scope.principal))[0]!, 200);
  });
