/**
 * Review events (topic `review`), written by the reviews family in the
 * transaction of the change they announce. Payloads carry ids, stars and
 * statuses, never a review's text.
 *
 * Every event that can change what a product's rating is carries
 * `productRating`: the product's aggregate over its approved reviews right
 * after the change, with a version that grows with every change of it, so
 * projections (the catalogue's rating columns, search's rating facet) take
 * the figures from the event alone and ignore an older one that arrives late.
 *
 * ReviewFlagged asks moderators to look at a review; it carries ids and a
 * reason code, not the review's text.
 */
import { z } from "zod";
import { defineEvent } from "../../../workers/platform/event-contracts.ts";

export const REVIEW_FLAG_REASONS = ["spam", "offensive", "off_topic", "personal_data", "other"] as const;
export const REVIEW_EVENT_STATUSES = ["pending", "approved", "rejected"] as const;

const stars = z.number().int().min(1).max(5);
const status = z.enum(REVIEW_EVENT_STATUSES);
const count = z.number().int().nonnegative();

export const ProductRatingSummary = z.object({
  productId: z.string(),
  /** Mean of the approved reviews' stars, two decimals; 0 without reviews. */
  average: z.number().min(0).max(5),
  count,
  histogram: z.object({ 1: count, 2: count, 3: count, 4: count, 5: count }),
  /** Grows with every change of this product's figures; 0 before the first approved review. */
  version: z.number().int().nonnegative(),
});
export type ProductRatingSummary = z.infer<typeof ProductRatingSummary>;

export const ReviewCreated = defineEvent({
  type: "ReviewCreated",
  version: 1,
  topic: "review",
  description: "A customer wrote a review. It is `approved` (public at once) or `pending` moderation, with the screening's reasons.",
  payload: z.object({
    reviewId: z.string(),
    productId: z.string(),
    authorId: z.string(),
    rating: stars,
    status,
    heldFor: z.array(z.string()),
    verifiedPurchase: z.boolean(),
    productRating: ProductRatingSummary,
  }),
});

export const ReviewUpdated = defineEvent({
  type: "ReviewUpdated",
  version: 1,
  topic: "review",
  description: "The author edited a review (`changed` names the fields). New text is screened again, so the status may change.",
  payload: z.object({
    reviewId: z.string(),
    productId: z.string(),
    authorId: z.string(),
    rating: stars,
    previousRating: stars,
    status,
    previousStatus: status,
    changed: z.array(z.enum(["rating", "title", "body"])),
    reviewVersion: z.number().int().positive(),
    productRating: ProductRatingSummary,
  }),
});

export const ReviewModerated = defineEvent({
  type: "ReviewModerated",
  version: 1,
  topic: "review",
  description:
    "A review's moderation status changed: a moderator approved or rejected it, or abuse reports sent it back to moderation (`by: reports`).",
  payload: z.object({
    reviewId: z.string(),
    productId: z.string(),
    authorId: z.string(),
    rating: stars,
    from: status,
    to: status,
    by: z.enum(["moderator", "reports"]),
    productRating: ProductRatingSummary,
  }),
});

export const ReviewDeleted = defineEvent({
  type: "ReviewDeleted",
  version: 1,
  topic: "review",
  description: "A review was deleted by its author or an administrator, with its votes and reports.",
  payload: z.object({
    reviewId: z.string(),
    productId: z.string(),
    authorId: z.string(),
    rating: stars,
    status,
    deletedBy: z.enum(["author", "admin"]),
    productRating: ProductRatingSummary,
  }),
});

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
