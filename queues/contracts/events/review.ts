/**
 * Review events (topic `review`), defined ahead of the reviews family.
 * ReviewFlagged asks moderators to look at a review; it carries ids and a
 * reason code, not the review's text.
 */
import { z } from "zod";
import { defineEvent } from "../registry.ts";

export const REVIEW_FLAG_REASONS = ["spam", "offensive", "off_topic", "personal_data", "other"] as const;

export const ReviewFlagged = defineEvent({
  type: "ReviewFlagged",
  version: 1,
  topic: "review",
  description: "A review was flagged for moderation, by customers' reports (`flagCount` so far) or by automatic screening.",
  payload: z.object({
    reviewId: z.string(),
    productId: z.string(),
    authorId: z.string(),
    reason: z.enum(REVIEW_FLAG_REASONS),
    flaggedBy: z.enum(["customer", "automatic"]),
    flagCount: z.number().int().positive(),
  }),
});
