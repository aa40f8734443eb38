ALTER TABLE "orders"."orders" ADD COLUMN "promotion_code" text;--> statement-breakpoint
ALTER TABLE "orders"."orders" ADD COLUMN "promotion_discount_minor" bigint DEFAULT 0 NOT NULL;