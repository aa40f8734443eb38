/** Request and response schemas of the reviews API (validation and the OpenAPI document). */
import { z } from "@hono/zod-openapi";
import { HOLD_REASONS, REPORT_REASONS, REVIEW_STATUSES } from "../../db/schema/reviews.ts";
import { cursorParam, LimitQuery, pageOf } from "../platform/http-schemas.ts";
import { REVIEW_SORTS } from "./cursor.ts";

export const security = [{ bearer: [] }];
export const tags = ["Reviews"];

export const TITLE_MAX = 120;
export const BODY_MIN = 10;
export const BODY_MAX = 5000;
export const NOTE_MAX = 1000;

const id = (prefix: string, example: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`), `must be a ${prefix}_ id`)
    .openapi({ example });
export const ReviewId = id("rev", "rev_01JB8ZK3M4N5P6Q7R8S9T0V1W2");
export const ProductId = id("prd", "prd_01JB8ZK3M4N5P6Q7R8S9T0V1W2");
export const UserId = id("usr", "usr_01JB8Y3Z5N7Q2W4E6R8T0Y2V4K");
export const ReviewParam = z.object({ id: ReviewId });

/** Printable text: control characters other than line breaks and tabs are refused, not stripped. */
const printable = (s: string) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s);
const text = (min: number, max: number, what: string) =>
  z
    .string()
    .transform((s) => s.normalize("NFC").trim())
    .pipe(
      z
        .string()
        .min(min, `${what} needs at least ${min} characters`)
        .max(max, `${what} may have at most ${max} characters`)
        .refine(printable, "must not contain control characters"),
    );

const Stars = z.number().int().min(1).max(5).openapi({ description: "1 to 5 stars", example: 4 });
const Title = text(0, TITLE_MAX, "The title")
  .nullable()
  .transform((s) => (s ? s : null))
  .openapi({ description: `Up to ${TITLE_MAX} characters; empty means none`, example: "Comfortable for a long day" });
const Body = text(BODY_MIN, BODY_MAX, "The text").openapi({
  description: `${BODY_MIN} to ${BODY_MAX} characters`,
  example: "Light, warm and the zip has not caught once in three months.",
});

export const ReviewCreateBody = z
  .object({ productId: ProductId, rating: Stars, title: Title.optional(), body: Body })
  .strict()
  .openapi("ReviewCreate", {
    example: {
      productId: "prd_01JB8ZK3M4N5P6Q7R8S9T0V1W2",
      rating: 4,
      title: "Comfortable for a long day",
      body: "Light, warm and the zip has not caught once in three months.",
    },
  });
export const ReviewPatchBody = z
  .object({ rating: Stars, title: Title, body: Body })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, "Change at least one of rating, title, body")
  .openapi("ReviewPatch");

export const ListQuery = z.object({
  productId: ProductId.optional().openapi({ description: "Reviews of one product" }),
  userId: UserId.optional().openapi({ description: "Reviews by one user" }),
  status: z
    .enum([...REVIEW_STATUSES, "all"])
    .default("approved")
    .openapi({ description: "Other than approved: moderators, or authors listing their own reviews (with userId)" }),
  stars: z.coerce.number().int().min(1).max(5).optional().openapi({ description: "Only reviews with this many stars" }),
  verified: z.enum(["true"]).optional().openapi({ description: "Only verified purchases" }),
  sort: z
    .enum(REVIEW_SORTS)
    .default("newest")
    .openapi({ description: "newest, oldest, rating_desc, rating_asc or helpful (most helpful votes first)" }),
  limit: LimitQuery,
  cursor: cursorParam,
});

export const ModerationBody = z
  .object({ decision: z.enum(["approve", "reject"]), note: text(0, NOTE_MAX, "The note").optional() })
  .strict()
  .openapi("ReviewModerationRequest");
export const ReportBody = z
  .object({ reason: z.enum(REPORT_REASONS), note: text(0, NOTE_MAX, "The note").optional() })
  .strict()
  .openapi("ReviewReportRequest");
export const VoteBody = z
  .object({ helpful: z.boolean().openapi({ description: "true: helpful, false: not helpful" }) })
  .strict()
  .openapi("ReviewVoteRequest");

export const ReviewSchema = z
  .object({
    id: z.string(),
    productId: z.string(),
    userId: z
      .string()
      .nullable()
      .openapi({ description: "The author's account id: for the author and moderators; null for everyone else" }),
    authorName: z.string().nullable().openapi({ description: 'First name and last initial ("Ada L."); null for a deleted account' }),
    rating: z.number().int(),
    title: z.string().nullable(),
    body: z.string(),
    status: z.enum(REVIEW_STATUSES),
    verifiedPurchase: z.boolean(),
    helpfulCount: z.number().int(),
    notHelpfulCount: z.number().int(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    moderation: z
      .object({
        heldFor: z.array(z.enum(HOLD_REASONS)),
        note: z.string().nullable(),
        moderatedAt: z.string().nullable(),
        openReports: z.number().int().nullable().openapi({ description: "Moderators only" }),
      })
      .nullable()
      .openapi({ description: "For the author and moderators; null for everyone else" }),
  })
  .openapi("Review");

export const ReviewPageSchema = pageOf("ReviewPage", ReviewSchema);

export const RatingSummarySchema = z
  .object({
    productId: z.string(),
    average: z.number(),
    count: z.number().int(),
    histogram: z.object({ 1: z.number().int(), 2: z.number().int(), 3: z.number().int(), 4: z.number().int(), 5: z.number().int() }),
    version: z.number().int(),
  })
  .openapi("ProductRating");

export const VoteSchema = z
  .object({
    reviewId: z.string(),
    helpful: z.boolean().nullable().openapi({ description: "Your vote; null when you have none" }),
    helpfulCount: z.number().int(),
    notHelpfulCount: z.number().int(),
  })
  .openapi("ReviewVote");

export const ReportSchema = z
  .object({
    id: z.string(),
    reviewId: z.string(),
    reporterId: z.string(),
    reason: z.enum(REPORT_REASONS),
    note: z.string().nullable(),
    resolved: z.boolean(),
    createdAt: z.string(),
  })
  .openapi("ReviewReport");
