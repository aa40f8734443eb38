ALTER TABLE "catalog"."discounts" ALTER COLUMN "amount_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "catalog"."price_windows" ALTER COLUMN "min_price_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "catalog"."price_windows" ALTER COLUMN "max_price_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "catalog"."variants" ALTER COLUMN "price_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "catalog"."variants" ALTER COLUMN "compare_at_minor" SET DATA TYPE bigint;