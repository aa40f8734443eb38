/**
 * The sort orders of review lists and their keyset cursors. A cursor is the
 * sort it belongs to and the last row's sort key, as base64url JSON; the
 * next page starts strictly after that key, so pages neither repeat nor skip
 * rows that did not move in between.
 */
import { decodeCursor as decodeKeysetCursor, encodeCursor as encodeKeysetCursor } from "../platform/cursor.ts";
import { ApiError, ErrorCode } from "../platform/errors.ts";

export const REVIEW_SORTS = ["newest", "oldest", "rating_desc", "rating_asc", "helpful"] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];

export interface SortKeyRow {
  id: string;
  rating: number;
  helpfulCount: number;
}

/** The key of a row under a sort: what the next page continues after. */
export function sortKey(sort: ReviewSort, row: SortKeyRow): (string | number)[] {
  switch (sort) {
    case "newest":
    case "oldest":
      return [row.id];
    case "rating_desc":
    case "rating_asc":
      return [row.rating, row.id];
    case "helpful":
      return [row.helpfulCount, row.id];
  }
}

const KEY_TYPES: Record<ReviewSort, readonly ("string" | "number")[]> = {
  newest: ["string"],
  oldest: ["string"],
  rating_desc: ["number", "string"],
  rating_asc: ["number", "string"],
  helpful: ["number", "string"],
};

export function encodeCursor(sort: ReviewSort, key: (string | number)[]): string {
  return encodeKeysetCursor({ sort, key });
}

export function decodeCursor(raw: string, sort: ReviewSort): (string | number)[] {
  const key = decodeKeysetCursor(raw, sort, KEY_TYPES[sort]);
  // Counts and ratings are integers; anything else did not come from this API.
  if (key.some((v) => typeof v === "number" && !Number.isSafeInteger(v))) {
    throw new ApiError(ErrorCode.VALIDATION_FAILED, "The query is not valid", {
      errors: [{ field: "query.cursor", message: "Not a cursor from this API" }],
    });
  }
  return key;
}
