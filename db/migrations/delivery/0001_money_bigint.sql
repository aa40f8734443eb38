ALTER TABLE "delivery"."return_lines" ALTER COLUMN "unit_paid_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "delivery"."returns" ALTER COLUMN "refund_minor" SET DATA TYPE bigint;