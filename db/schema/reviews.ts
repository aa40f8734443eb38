/**
 * The reviews family: product reviews with their moderation state, helpful
 * votes, abuse reports, each product's rating aggregate (count, star total
 * and histogram, kept incrementally with every change), what the family has
 * heard about orders (for the verified-purchase mark), the per-user posting
 * allowance, and how far each rating projection elsewhere has been fed.
 * Products and users are referred to by id only (no cross-family keys).
 */
import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgSchema, primaryKey, smallint, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const reviewsSchema = pgSchema("reviews");

export const REVIEW_STATUSES = ["pending", "approved", "rejected"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/**
 * Why a review waits for a moderator: screening (a new account, flagged
 * words, links, contact details), abuse reports, or an edit of a rejected review.
 */
export const HOLD_REASONS = ["new_account", "offensive", "spam", "personal_data", "reports", "resubmitted"] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export const reviews = reviewsSchema.table(
  "reviews",
  {
    id: text("id").primaryKey(),
    productId: text("product_id").notNull(),
    userId: text("user_id").notNull(),
    rating: smallint("rating").notNull(),
    title: text("title"),
    body: text("body").notNull(),
    /** Only `approved` reviews are public and count in the product's rating. */
    status: text("status", { enum: REVIEW_STATUSES }).notNull(),
    heldFor: text("held_for", { enum: HOLD_REASONS }).array().notNull().default(sql`'{}'::text[]`),
    helpfulCount: integer("helpful_count").notNull().default(0),
    notHelpfulCount: integer("not_helpful_count").notNull().default(0),
    /** Reports since the last moderation decision; reaching the threshold sends the review back to moderation. */
    openReports: integer("open_reports").notNull().default(0),
    moderationNote: text("moderation_note"),
    moderatedBy: text("moderated_by"),
    moderatedAt: timestamp("moderated_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One review per user per product: of two racing posts, the index lets one through.
    uniqueIndex("reviews_product_user_uq").on(t.productId, t.userId),
    index("reviews_user_idx").on(t.userId, t.id),
    // The public orders of a product's approved reviews, each read from its own index.
    index("reviews_approved_newest_idx").on(t.productId, t.id).where(sql`status = 'approved'`),
    index("reviews_approved_rating_idx").on(t.productId, t.rating, t.id).where(sql`status = 'approved'`),
    index("reviews_approved_rating_low_idx").on(t.productId, t.rating.desc().nullsFirst(), t.id).where(sql`status = 'approved'`),
    index("reviews_approved_helpful_idx").on(t.productId, t.helpfulCount, t.id).where(sql`status = 'approved'`),
    // The moderation queue.
    index("reviews_pending_idx").on(t.id).where(sql`status = 'pending'`),
    check("reviews_rating_range", sql`${t.rating} between 1 and 5`),
    check("reviews_counts_nonnegative", sql`${t.helpfulCount} >= 0 and ${t.notHelpfulCount} >= 0 and ${t.openReports} >= 0`),
  ],
);

/** One vote per user per review; `helpful` false is a "not helpful" vote. */
export const votes = reviewsSchema.table(
  "votes",
  {
    reviewId: text("review_id")
      .notNull()
      .references(() => reviews.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    helpful: boolean("helpful").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.userId] })],
);

export const REPORT_REASONS = ["spam", "offensive", "off_topic", "personal_data", "other"] as const;

/** Abuse reports: one per reporter per review; a moderation decision resolves the open ones. */
export const reports = reviewsSchema.table(
  "reports",
  {
    id: text("id").primaryKey(),
    reviewId: text("review_id")
      .notNull()
      .references(() => reviews.id, { onDelete: "cascade" }),
    reporterId: text("reporter_id").notNull(),
    reason: text("reason", { enum: REPORT_REASONS }).notNull(),
    note: text("note"),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("reports_review_reporter_uq").on(t.reviewId, t.reporterId)],
);

/**
 * A product's rating over its approved reviews, changed by increments in the
 * transaction of every review change. The checks make a histogram that
 * disagrees with its count or star total impossible to store. `version`
 * grows with every change, so projections can ignore an older figure.
 */
export const productRatings = reviewsSchema.table(
  "product_ratings",
  {
    productId: text("product_id").primaryKey(),
    stars1: integer("stars_1").notNull().default(0),
    stars2: integer("stars_2").notNull().default(0),
    stars3: integer("stars_3").notNull().default(0),
    stars4: integer("stars_4").notNull().default(0),
    stars5: integer("stars_5").notNull().default(0),
    ratingCount: integer("rating_count").notNull().default(0),
    /** Sum of the stars: the average is ratingTotal / ratingCount. */
    ratingTotal: integer("rating_total").notNull().default(0),
    version: integer("version").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("product_ratings_nonnegative", sql`least(${t.stars1}, ${t.stars2}, ${t.stars3}, ${t.stars4}, ${t.stars5}) >= 0`),
    check("product_ratings_count", sql`${t.ratingCount} = ${t.stars1} + ${t.stars2} + ${t.stars3} + ${t.stars4} + ${t.stars5}`),
    check(
      "product_ratings_total",
      sql`${t.ratingTotal} = ${t.stars1} + 2 * ${t.stars2} + 3 * ${t.stars3} + 4 * ${t.stars4} + 5 * ${t.stars5}`,
    ),
  ],
);

/**
 * The newest rating version each projection without a version of its own
 * (the catalogue's rating columns) has been given, so a late event cannot
 * overwrite a newer figure there.
 */
export const ratingFeeds = reviewsSchema.table(
  "rating_feeds",
  {
    productId: text("product_id").notNull(),
    target: text("target").notNull(),
    version: integer("version").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.target] })],
);

/**
 * What order events said, for the verified-purchase mark: a review is marked
 * while its author has an order with its product that is confirmed and not
 * cancelled. Each fact is kept as it arrives (upserts that commute), so the
 * events may come in any order, and the mark is derived when reviews are
 * read, so a review written while an order event is being handled cannot
 * miss it.
 */
export const purchaseOrders = reviewsSchema.table(
  "purchase_orders",
  {
    orderId: text("order_id").primaryKey(),
    userId: text("user_id").notNull(),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("purchase_orders_user_idx").on(t.userId)],
);

export const purchaseLines = reviewsSchema.table(
  "purchase_lines",
  {
    orderId: text("order_id").notNull(),
    userId: text("user_id").notNull(),
    productId: text("product_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.productId] }), index("purchase_lines_user_product_idx").on(t.userId, t.productId)],
);

/**
 * Posting allowance per user as a generic cell rate: `tat` is the
 * theoretical arrival time; a post is allowed while it stays within the
 * burst, and each allowed post pushes it one emission interval further.
 */
export const postAllowance = reviewsSchema.table("post_allowance", {
  userId: text("user_id").primaryKey(),
  tat: timestamp("tat", { withTimezone: true }).notNull(),
});
