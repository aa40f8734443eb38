CREATE SCHEMA "reviews";
--> statement-breakpoint
CREATE TABLE "reviews"."post_allowance" (
	"user_id" text PRIMARY KEY NOT NULL,
	"tat" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reviews"."product_ratings" (
	"product_id" text PRIMARY KEY NOT NULL,
	"stars_1" integer DEFAULT 0 NOT NULL,
	"stars_2" integer DEFAULT 0 NOT NULL,
	"stars_3" integer DEFAULT 0 NOT NULL,
	"stars_4" integer DEFAULT 0 NOT NULL,
	"stars_5" integer DEFAULT 0 NOT NULL,
	"rating_count" integer DEFAULT 0 NOT NULL,
	"rating_total" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_ratings_nonnegative" CHECK (least("reviews"."product_ratings"."stars_1", "reviews"."product_ratings"."stars_2", "reviews"."product_ratings"."stars_3", "reviews"."product_ratings"."stars_4", "reviews"."product_ratings"."stars_5") >= 0),
	CONSTRAINT "product_ratings_count" CHECK ("reviews"."product_ratings"."rating_count" = "reviews"."product_ratings"."stars_1" + "reviews"."product_ratings"."stars_2" + "reviews"."product_ratings"."stars_3" + "reviews"."product_ratings"."stars_4" + "reviews"."product_ratings"."stars_5"),
	CONSTRAINT "product_ratings_total" CHECK ("reviews"."product_ratings"."rating_total" = "reviews"."product_ratings"."stars_1" + 2 * "reviews"."product_ratings"."stars_2" + 3 * "reviews"."product_ratings"."stars_3" + 4 * "reviews"."product_ratings"."stars_4" + 5 * "reviews"."product_ratings"."stars_5")
);
--> statement-breakpoint
CREATE TABLE "reviews"."purchase_lines" (
	"order_id" text NOT NULL,
	"user_id" text NOT NULL,
	"product_id" text NOT NULL,
	CONSTRAINT "purchase_lines_order_id_product_id_pk" PRIMARY KEY("order_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "reviews"."purchase_orders" (
	"order_id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"confirmed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reviews"."rating_feeds" (
	"product_id" text NOT NULL,
	"target" text NOT NULL,
	"version" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rating_feeds_product_id_target_pk" PRIMARY KEY("product_id","target")
);
--> statement-breakpoint
CREATE TABLE "reviews"."reports" (
	"id" text PRIMARY KEY NOT NULL,
	"review_id" text NOT NULL,
	"reporter_id" text NOT NULL,
	"reason" text NOT NULL,
	"note" text,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reviews"."reviews" (
	"id" text PRIMARY KEY NOT NULL,
	"product_id" text NOT NULL,
	"user_id" text NOT NULL,
	"rating" smallint NOT NULL,
	"title" text,
	"body" text NOT NULL,
	"status" text NOT NULL,
	"held_for" text[] DEFAULT '{}'::text[] NOT NULL,
	"helpful_count" integer DEFAULT 0 NOT NULL,
	"not_helpful_count" integer DEFAULT 0 NOT NULL,
	"open_reports" integer DEFAULT 0 NOT NULL,
	"moderation_note" text,
	"moderated_by" text,
	"moderated_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reviews_rating_range" CHECK ("reviews"."reviews"."rating" between 1 and 5),
	CONSTRAINT "reviews_counts_nonnegative" CHECK ("reviews"."reviews"."helpful_count" >= 0 and "reviews"."reviews"."not_helpful_count" >= 0 and "reviews"."reviews"."open_reports" >= 0)
);
--> statement-breakpoint
CREATE TABLE "reviews"."votes" (
	"review_id" text NOT NULL,
	"user_id" text NOT NULL,
	"helpful" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "votes_review_id_user_id_pk" PRIMARY KEY("review_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "reviews"."reports" ADD CONSTRAINT "reports_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "reviews"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews"."votes" ADD CONSTRAINT "votes_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "reviews"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "purchase_lines_user_product_idx" ON "reviews"."purchase_lines" USING btree ("user_id","product_id");--> statement-breakpoint
CREATE INDEX "purchase_orders_user_idx" ON "reviews"."purchase_orders" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_review_reporter_uq" ON "reviews"."reports" USING btree ("review_id","reporter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_product_user_uq" ON "reviews"."reviews" USING btree ("product_id","user_id");--> statement-breakpoint
CREATE INDEX "reviews_user_idx" ON "reviews"."reviews" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "reviews_approved_newest_idx" ON "reviews"."reviews" USING btree ("product_id","id") WHERE status = 'approved';--> statement-breakpoint
CREATE INDEX "reviews_approved_rating_idx" ON "reviews"."reviews" USING btree ("product_id","rating","id") WHERE status = 'approved';--> statement-breakpoint
CREATE INDEX "reviews_approved_rating_low_idx" ON "reviews"."reviews" USING btree ("product_id","rating" DESC NULLS FIRST,"id") WHERE status = 'approved';--> statement-breakpoint
CREATE INDEX "reviews_approved_helpful_idx" ON "reviews"."reviews" USING btree ("product_id","helpful_count","id") WHERE status = 'approved';--> statement-breakpoint
CREATE INDEX "reviews_pending_idx" ON "reviews"."reviews" USING btree ("id") WHERE status = 'pending';