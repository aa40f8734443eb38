ALTER TABLE "search"."documents" ALTER COLUMN "price_min_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "search"."documents" ALTER COLUMN "price_max_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "search"."documents" ALTER COLUMN "compare_at_minor" SET DATA TYPE bigint;