CREATE SCHEMA "promotions";
--> statement-breakpoint
CREATE TABLE "promotions"."codes" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"percent_bp" integer,
	"amount_minor" bigint,
	"currency" text,
	"min_subtotal_minor" bigint DEFAULT 0 NOT NULL,
	"product_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"usage_limit" integer,
	"per_customer_limit" integer,
	"uses" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "codes_uses" CHECK ("promotions"."codes"."uses" >= 0 and ("promotions"."codes"."usage_limit" is null or "promotions"."codes"."uses" <= "promotions"."codes"."usage_limit")),
	CONSTRAINT "codes_kind_value" CHECK (("promotions"."codes"."kind" = 'percentage' and "promotions"."codes"."percent_bp" between 1 and 10000)
        or ("promotions"."codes"."kind" = 'fixed' and "promotions"."codes"."amount_minor" > 0 and "promotions"."codes"."currency" is not null)
        or "promotions"."codes"."kind" = 'free_shipping')
);
--> statement-breakpoint
CREATE TABLE "promotions"."redemptions" (
	"order_id" text PRIMARY KEY NOT NULL,
	"code_id" text NOT NULL,
	"user_id" text NOT NULL,
	"discount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "promotions"."redemptions" ADD CONSTRAINT "redemptions_code_id_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "promotions"."codes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "codes_code_uq" ON "promotions"."codes" USING btree ("code");--> statement-breakpoint
CREATE INDEX "redemptions_code_user_idx" ON "promotions"."redemptions" USING btree ("code_id","user_id");