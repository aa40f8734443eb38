/**
 * Writing reviews: post, edit and delete. Each change locks the review's row,
 * moves the product's rating aggregate by the change's delta, and writes its
 * events, all in one transaction.
 */
import { eq, sql } from "drizzle-orm";
import { type HoldReason, type ReviewStatus, reviews } from "../../db/schema/reviews.ts";
import { ReviewCreated, ReviewDeleted, ReviewFlagged, ReviewUpdated } from "../../queues/contracts/events/review.ts";
import { type EventSink, transactionWithEvents } from "../../queues/outbox/outbox.ts";
import { findReviewerFacts } from "../identity/index.ts";
import type { Tx } from "../platform/db.ts";
import { ApiError, notFound } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { eventFrom, type Scope } from "../platform/scope.ts";
import { loadProductSnapshot } from "../products/index.ts";
import { assertAuthor, isAdmin, isAuthor } from "./access.ts";
import { applyRatingDelta } from "./aggregates.ts";
import { ReviewErrors } from "./errors.ts";
import { hasVerifiedPurchase } from "./purchases.ts";
import { findReview, lockReview, type ReviewReadRow, type ReviewRow } from "./queries.ts";
import { ratingDelta } from "./rating-math.ts";
import { contentReasons, holdReasons } from "./screening.ts";
import { takePostAllowance } from "./throttle.ts";

export interface NewReview {
  productId: string;
  rating: number;
  title?: string | null;
  body: string;
}

async function memberSince(scope: Scope, userId: string): Promise<Date | null> {
  return (await findReviewerFacts(scope.db, [userId])).get(userId)?.memberSince ?? null;
}

/** Screening that found something in the text also tells moderators (notifications listen for ReviewFlagged). */
async function flagIfScreened(scope: Scope, events: EventSink, row: ReviewRow, reasons: HoldReason[]): Promise<void> {
  const [reason] = contentReasons(reasons);
  if (!reason) return;
  await events.emit(
    ReviewFlagged,
    eventFrom(scope, "reviews", row.id, {
      reviewId: row.id,
      productId: row.productId,
      authorId: row.userId,
      reason,
      flaggedBy: "automatic",
      flagCount: 1,
    }),
  );
}

export async function createReview(scope: Scope, input: NewReview): Promise<ReviewReadRow> {
  const userId = scope.principal!.id;
  const product = await loadProductSnapshot(scope.db, input.productId);
  if (product?.status !== "active") throw notFound("product");
  const heldFor = holdReasons({
    title: input.title ?? null,
    body: input.body,
    memberSince: await memberSince(scope, userId),
    now: scope.now,
  });
  const status: ReviewStatus = heldFor.length > 0 ? "pending" : "approved";

  return transactionWithEvents(
    scope.db,
    async (tx, events) => {
      await takePostAllowance(tx, userId);
      const [row] = await tx
        .insert(reviews)
        .values({
          id: newId("rev"),
          productId: input.productId,
          userId,
          rating: input.rating,
          title: input.title ?? null,
          body: input.body,
          status,
          heldFor,
        })
        .onConflictDoNothing({ target: [reviews.productId, reviews.userId] })
        .returning();
      // The unique index decides: of two racing posts, one inserts and the other lands here.
      if (!row) throw new ApiError(ReviewErrors.REVIEW_EXISTS, "You have already reviewed this product; edit that review instead");
      const productRating = await applyRatingDelta(tx, row.productId, ratingDelta(null, row));
      const verifiedPurchase = await hasVerifiedPurchase(tx, userId, row.productId);
      await events.emit(
        ReviewCreated,
        eventFrom(scope, "reviews", row.id, {
          reviewId: row.id,
          productId: row.productId,
          authorId: userId,
          rating: row.rating,
          status: row.status,
          heldFor: row.heldFor,
          verifiedPurchase,
          productRating,
        }),
      );
      await flagIfScreened(scope, events, row, heldFor);
      return { ...row, verifiedPurchase };
    },
    scope.afterCommit,
  );
}

export type ReviewPatch = Partial<{ rating: number; title: string | null; body: string }>;

/**
 * The status after an edit. New text is screened like a new review: held
 * text goes (back) to moderation; text that passes keeps an approved review
 * approved and publishes one that screening alone held; one held by reports
 * or rejected by a moderator waits for a moderator. A rating-only edit keeps
 * the status.
 */
export function statusAfterEdit(
  current: Pick<ReviewRow, "status" | "heldFor">,
  screening: HoldReason[] | null,
): { status: ReviewStatus; heldFor: HoldReason[] } {
  if (screening === null) return { status: current.status, heldFor: current.heldFor };
  if (screening.length > 0) return { status: "pending", heldFor: screening };
  if (current.status === "approved") return { status: "approved", heldFor: [] };
  if (current.status === "rejected") return { status: "pending", heldFor: ["resubmitted"] };
  return current.heldFor.includes("reports") || current.heldFor.includes("resubmitted")
    ? { status: "pending", heldFor: current.heldFor }
    : { status: "approved", heldFor: [] };
}

export async function updateReview(scope: Scope, id: string, patch: ReviewPatch): Promise<ReviewReadRow> {
  const since = await memberSince(scope, scope.principal!.id);
  const updated = await transactionWithEvents(
    scope.db,
    async (tx, events) => {
      const current = assertAuthor(scope.principal, await lockReview(tx, id));
      const next = {
        rating: patch.rating ?? current.rating,
        title: patch.title === undefined ? current.title : patch.title,
        body: patch.body ?? current.body,
      };
      const changed = (["rating", "title", "body"] as const).filter((k) => next[k] !== current[k]);
      if (changed.length === 0) return current.id;
      const textChanged = changed.includes("title") || changed.includes("body");
      const screening = textChanged ? holdReasons({ title: next.title, body: next.body, memberSince: since, now: scope.now }) : null;
      const { status, heldFor } = statusAfterEdit(current, screening);
      const [row] = await tx
        .update(reviews)
        .set({ ...next, status, heldFor, version: sql`${reviews.version} + 1`, updatedAt: sql`now()` })
        .where(eq(reviews.id, id))
        .returning();
      const productRating = await applyRatingDelta(tx, row!.productId, ratingDelta(current, row!));
      await events.emit(
        ReviewUpdated,
        eventFrom(scope, "reviews", id, {
          reviewId: id,
          productId: row!.productId,
          authorId: row!.userId,
          rating: row!.rating,
          previousRating: current.rating,
          status: row!.status,
          previousStatus: current.status,
          changed,
          reviewVersion: row!.version,
          productRating,
        }),
      );
      if (screening) await flagIfScreened(scope, events, row!, screening);
      return id;
    },
    scope.afterCommit,
  );
  return (await findReview(scope.db, updated))!;
}

/** The author deletes their review; an administrator may delete any. Votes and reports go with it. */
export async function deleteReview(scope: Scope, id: string): Promise<void> {
  await transactionWithEvents(
    scope.db,
    async (tx: Tx, events) => {
      const current = assertAuthor(scope.principal, await lockReview(tx, id), isAdmin);
      await tx.delete(reviews).where(eq(reviews.id, id));
      const productRating = await applyRatingDelta(tx, current.productId, ratingDelta(current, null));
      await events.emit(
        ReviewDeleted,
        eventFrom(scope, "reviews", id, {
          reviewId: id,
          productId: current.productId,
          authorId: current.userId,
          rating: current.rating,
          status: current.status,
          deletedBy: isAuthor(scope.principal, current) ? "author" : "admin",
          productRating,
        }),
      );
    },
    scope.afterCommit,
  );
}
