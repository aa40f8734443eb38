/**
 * Moderation: moderators (support, admin) approve or reject reviews, and
 * customers' abuse reports send a published review back to moderation once
 * REPORT_THRESHOLD distinct customers have reported it since the last
 * decision. A decision resolves the open reports, so a re-approved review
 * needs that many new reporters to be pulled again.
 */
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { REPORT_REASONS, type ReviewStatus, reports, reviews } from "../../db/schema/reviews.ts";
import { ReviewFlagged, ReviewModerated } from "../../queues/contracts/events/review.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import { decodeCursor, keysetPage } from "../platform/cursor.ts";
import type { Queryable } from "../platform/db.ts";
import { ApiError, notFound } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { eventFrom, type Scope } from "../platform/scope.ts";
import { assertOthersPublished } from "./access.ts";
import { applyRatingDelta } from "./aggregates.ts";
import { ReviewErrors } from "./errors.ts";
import { findReview, lockReview, type ReviewReadRow } from "./queries.ts";
import { ratingDelta } from "./rating-math.ts";

export const REPORT_THRESHOLD = 3;

export type ReportReason = (typeof REPORT_REASONS)[number];

/**
 * Approves or rejects a review from any status. Deciding what a review
 * already is records the decision (note, time, resolved reports) without a
 * status change or event, so two moderators clicking the same button agree.
 */
export async function moderateReview(
  scope: Scope,
  id: string,
  decision: { decision: "approve" | "reject"; note?: string },
): Promise<ReviewReadRow> {
  await transactionWithEvents(
    scope.db,
    async (tx, events) => {
      const current = await lockReview(tx, id);
      if (!current) throw notFound("review");
      const to: ReviewStatus = decision.decision === "approve" ? "approved" : "rejected";
      const [row] = await tx
        .update(reviews)
        .set({
          status: to,
          heldFor: [],
          openReports: 0,
          moderationNote: decision.note || null,
          moderatedBy: scope.principal!.id,
          moderatedAt: sql`now()`,
          updatedAt: sql`now()`,
        })
        .where(eq(reviews.id, id))
        .returning();
      await tx
        .update(reports)
        .set({ resolvedAt: sql`now()` })
        .where(and(eq(reports.reviewId, id), isNull(reports.resolvedAt)));
      if (current.status === to) return;
      const productRating = await applyRatingDelta(tx, current.productId, ratingDelta(current, row!));
      await events.emit(
        ReviewModerated,
        eventFrom(scope, "reviews", id, {
          reviewId: id,
          productId: current.productId,
          authorId: current.userId,
          rating: current.rating,
          from: current.status,
          to,
          by: "moderator",
          productRating,
        }),
      );
    },
    scope.afterCommit,
  );
  return (await findReview(scope.db, id))!;
}

/** The reason most open reports give (ties: the order of REPORT_REASONS). */
export function dominantReason(reasons: ReportReason[]): ReportReason {
  const counts = new Map<ReportReason, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...REPORT_REASONS].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0))[0]!;
}

/**
 * A customer reports someone else's published review. The review's row lock
 * orders racing reports, so the threshold is crossed by exactly one of them,
 * which moves the review to pending and tells moderators.
 */
export async function reportReview(scope: Scope, id: string, input: { reason: ReportReason; note?: string }) {
  return transactionWithEvents(
    scope.db,
    async (tx, events) => {
      const review = assertOthersPublished(scope.principal, await lockReview(tx, id));
      const [report] = await tx
        .insert(reports)
        .values({ id: newId("rpt"), reviewId: id, reporterId: scope.principal!.id, reason: input.reason, note: input.note || null })
        .onConflictDoNothing({ target: [reports.reviewId, reports.reporterId] })
        .returning();
      if (!report) throw new ApiError(ReviewErrors.ALREADY_REPORTED, "You have already reported this review");
      const openReports = review.openReports + 1;
      if (openReports < REPORT_THRESHOLD) {
        await tx.update(reviews).set({ openReports }).where(eq(reviews.id, id));
        return report;
      }
      const [row] = await tx
        .update(reviews)
        .set({ openReports, status: "pending", heldFor: ["reports"], updatedAt: sql`now()` })
        .where(eq(reviews.id, id))
        .returning();
      const productRating = await applyRatingDelta(tx, review.productId, ratingDelta(review, row!));
      const open = await tx
        .select({ reason: reports.reason })
        .from(reports)
        .where(and(eq(reports.reviewId, id), isNull(reports.resolvedAt)));
      const common = { reviewId: id, productId: review.productId, authorId: review.userId };
      await events.emit(
        ReviewModerated,
        eventFrom(scope, "reviews", id, {
          ...common,
          rating: review.rating,
          from: "approved",
          to: "pending",
          by: "reports",
          productRating,
        }),
      );
      await events.emit(
        ReviewFlagged,
        eventFrom(scope, "reviews", id, {
          ...common,
          reason: dominantReason(open.map((o) => o.reason)),
          flaggedBy: "customer",
          flagCount: openReports,
        }),
      );
      return report;
    },
    scope.afterCommit,
  );
}

export type ReportRow = typeof reports.$inferSelect;

/** A review's reports, oldest first; the cursor's key is the last report's id. */
const REPORTS_SORT = "review-reports:oldest";

/** A review's reports for moderators, oldest first (a review has at most one per customer). */
export async function listReports(
  db: Queryable,
  id: string,
  limit: number,
  cursor?: string,
): Promise<{ items: ReportRow[]; nextCursor: string | null }> {
  const [after] = cursor ? decodeCursor(cursor, REPORTS_SORT, ["string"]) : [];
  if (!(await findReview(db, id))) throw notFound("review");
  const rows = await db
    .select()
    .from(reports)
    .where(and(eq(reports.reviewId, id), after !== undefined ? sql`${reports.id} > ${after}` : undefined))
    .orderBy(asc(reports.id))
    .limit(limit + 1);
  const { page, nextCursor } = keysetPage(rows, limit, REPORTS_SORT, (r) => [r.id]);
  return { items: page, nextCursor };
}
