/**
 * Helpful votes: one per user per review, never on one's own, changeable and
 * withdrawable. The review's row lock orders one review's votes, so the
 * counters move by exactly the change of each vote however they race.
 */
import { and, eq, sql } from "drizzle-orm";
import { reviews, votes } from "../../db/schema/reviews.ts";
import type { Tx } from "../platform/db.ts";
import type { Scope } from "../platform/scope.ts";
import { assertOthersPublished, assertVisible } from "./access.ts";
import { lockReview } from "./queries.ts";

export interface VoteState {
  reviewId: string;
  helpful: boolean | null;
  helpfulCount: number;
  notHelpfulCount: number;
}

/** How the two counters move when a vote goes from `before` to `after` (null: no vote). */
export function voteDelta(before: boolean | null, after: boolean | null): { helpful: number; notHelpful: number } {
  const count = (v: boolean | null, which: boolean) => (v === which ? 1 : 0);
  return { helpful: count(after, true) - count(before, true), notHelpful: count(after, false) - count(before, false) };
}

async function setVote(
  tx: Tx,
  reviewId: string,
  userId: string,
  helpful: boolean | null,
): Promise<Omit<VoteState, "reviewId" | "helpful">> {
  const [old] = await tx
    .select({ helpful: votes.helpful })
    .from(votes)
    .where(and(eq(votes.reviewId, reviewId), eq(votes.userId, userId)));
  const before = old?.helpful ?? null;
  if (helpful === null) await tx.delete(votes).where(and(eq(votes.reviewId, reviewId), eq(votes.userId, userId)));
  else
    await tx
      .insert(votes)
      .values({ reviewId, userId, helpful })
      .onConflictDoUpdate({ target: [votes.reviewId, votes.userId], set: { helpful, updatedAt: sql`now()` } });
  const d = voteDelta(before, helpful);
  const [row] = await tx
    .update(reviews)
    .set({ helpfulCount: sql`${reviews.helpfulCount} + ${d.helpful}`, notHelpfulCount: sql`${reviews.notHelpfulCount} + ${d.notHelpful}` })
    .where(eq(reviews.id, reviewId))
    .returning({ helpfulCount: reviews.helpfulCount, notHelpfulCount: reviews.notHelpfulCount });
  return row!;
}

export async function castVote(scope: Scope, reviewId: string, helpful: boolean): Promise<VoteState> {
  const userId = scope.principal!.id;
  return scope.db.transaction(async (tx) => {
    assertOthersPublished(scope.principal, await lockReview(tx, reviewId));
    return { reviewId, helpful, ...(await setVote(tx, reviewId, userId, helpful)) };
  });
}

/** Withdraws the caller's vote (without one, nothing changes), on any review the caller can see. */
export async function withdrawVote(scope: Scope, reviewId: string): Promise<VoteState> {
  const userId = scope.principal!.id;
  return scope.db.transaction(async (tx) => {
    assertVisible(scope.principal, await lockReview(tx, reviewId));
    return { reviewId, helpful: null, ...(await setVote(tx, reviewId, userId, null)) };
  });
}
