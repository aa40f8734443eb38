ALTER TABLE "promotions"."codes" DROP CONSTRAINT "codes_kind_value";--> statement-breakpoint
-- One redemption per code of an order (stacked codes), no longer one per order.
ALTER TABLE "promotions"."redemptions" DROP CONSTRAINT "redemptions_pkey";--> statement-breakpoint
ALTER TABLE "promotions"."redemptions" ADD CONSTRAINT "redemptions_order_id_code_id_pk" PRIMARY KEY("order_id","code_id");--> statement-breakpoint
ALTER TABLE "promotions"."codes" ADD COLUMN "category_ids" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "promotions"."codes" ADD COLUMN "brand_ids" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "promotions"."codes" ADD COLUMN "buy_quantity" integer;--> statement-breakpoint
ALTER TABLE "promotions"."codes" ADD COLUMN "get_quantity" integer;--> statement-breakpoint
ALTER TABLE "promotions"."codes" ADD COLUMN "priority" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "promotions"."codes" ADD COLUMN "combinable" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "promotions"."codes" ADD COLUMN "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "promotions"."codes" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "promotions"."codes" ADD CONSTRAINT "codes_kind_value" CHECK (("promotions"."codes"."kind" = 'percentage' and "promotions"."codes"."percent_bp" between 1 and 10000)
        or ("promotions"."codes"."kind" = 'fixed' and "promotions"."codes"."amount_minor" > 0 and "promotions"."codes"."currency" is not null)
        or "promotions"."codes"."kind" = 'free_shipping'
        or ("promotions"."codes"."kind" = 'buy_x_get_y' and "promotions"."codes"."buy_quantity" >= 1 and "promotions"."codes"."get_quantity" >= 1 and "promotions"."codes"."percent_bp" between 1 and 10000));