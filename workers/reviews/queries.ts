/**
 * Reads of reviews and the one place rows become the API's view. Authors are
 * named through the users family's read function.
 */
import { eq } from "drizzle-orm";
import { reviews } from "../../db/schema/reviews.ts";
import { findReviewerFacts } from "../identity/index.ts";
import type { Principal } from "../platform/context.ts";
import type { Queryable } from "../platform/db.ts";
import { isAuthor, isModerator } from "./access.ts";
import { encodeCursor, sortKey } from "./cursor.ts";
import { columns, type ListFilter, listReviewsQuery, r } from "./list-query.ts";

export type ReviewRow = typeof reviews.$inferSelect;
export type ReviewReadRow = ReviewRow & { verifiedPurchase: boolean };

export async function findReview(db: Queryable, id: string): Promise<ReviewReadRow | undefined> {
  const [row] = await db.select(columns).from(r).where(eq(r.id, id));
  return row;
}

/** The row to change, locked until the transaction ends (no key update: votes and reports may still refer to it). */
export async function lockReview(tx: Queryable, id: string): Promise<ReviewRow | undefined> {
  const [row] = await tx.select().from(reviews).where(eq(reviews.id, id)).for("no key update");
  return row;
}

export async function listReviews(db: Queryable, f: ListFilter): Promise<{ rows: ReviewReadRow[]; nextCursor: string | null }> {
  const rows = await listReviewsQuery(db, f);
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > f.limit && last ? encodeCursor(f.sort, sortKey(f.sort, last)) : null };
}

export function toReviewView(row: ReviewReadRow, viewer: Principal | null, names: Map<string, { displayName: string | null }>) {
  const moderator = isModerator(viewer);
  return {
    id: row.id,
    productId: row.productId,
    // The author's account id is theirs and the moderators' to see: the public sees the display name only.
    userId: moderator || isAuthor(viewer, row) ? row.userId : null,
    authorName: names.get(row.userId)?.displayName ?? null,
    rating: row.rating,
    title: row.title,
    body: row.body,
    status: row.status,
    verifiedPurchase: row.verifiedPurchase,
    helpfulCount: row.helpfulCount,
    notHelpfulCount: row.notHelpfulCount,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    moderation:
      moderator || isAuthor(viewer, row)
        ? {
            heldFor: row.heldFor,
            note: row.moderationNote,
            moderatedAt: row.moderatedAt?.toISOString() ?? null,
            openReports: moderator ? row.openReports : null,
          }
        : null,
  };
}
export type ReviewView = ReturnType<typeof toReviewView>;

/** Views of rows, with their authors' names read in one query. */
export async function toReviewViews(db: Queryable, rows: ReviewReadRow[], viewer: Principal | null): Promise<ReviewView[]> {
  const names = await findReviewerFacts(
    db,
    rows.map((x) => x.userId),
  );
  return rows.map((row) => toReviewView(row, viewer, names));
}
