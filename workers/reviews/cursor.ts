/**
 * The sort orders of review lists and their keyset cursors. A cursor is the
 * sort it belongs to (`reviews:<sort>`) and the last row's sort key, as
 * base64url JSON; the next page starts strictly after that key, so pages
 * neither repeat nor skip rows that did not move in between.
 */
import { z } from "@hono/zod-openapi";
import { decodeCursor as decodeKeysetCursor, encodeCursor as encodeKeysetCursor, type KeyType } from "../platform/cursor.ts";

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

// Ratings are 1 to 5 and counts fit an int; anything else did not come from this API.
const Rating = z.number().int().min(1).max(5);
const Count = z.int32();
const KEY_TYPES: Record<ReviewSort, readonly KeyType[]> = {
  newest: ["string"],
  oldest: ["string"],
  rating_desc: [Rating, "string"],
  rating_asc: [Rating, "string"],
  helpful: [Count, "string"],
};

/** The cursor's sort: review sorts' names, prefixed so no other list's cursor passes. */
const cursorSort = (sort: ReviewSort) => `reviews:${sort}`;

export function encodeCursor(sort: ReviewSort, key: (string | number)[]): string {
  return encodeKeysetCursor({ sort: cursorSort(sort), key });
}

export function decodeCursor(raw: string, sort: ReviewSort): (string | number)[] {
  return decodeKeysetCursor(raw, cursorSort(sort), KEY_TYPES[sort]);
}
