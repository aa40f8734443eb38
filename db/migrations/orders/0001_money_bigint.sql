ALTER TABLE "orders"."order_lines" ALTER COLUMN "unit_base_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "orders"."order_lines" ALTER COLUMN "unit_discount_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "orders"."order_lines" ALTER COLUMN "unit_price_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "orders"."order_lines" ALTER COLUMN "line_total_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "orders"."orders" ALTER COLUMN "subtotal_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "orders"."orders" ALTER COLUMN "discount_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "orders"."orders" ALTER COLUMN "shipping_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "orders"."orders" ALTER COLUMN "tax_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "orders"."orders" ALTER COLUMN "total_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "orders"."orders" ALTER COLUMN "refund_minor" SET DATA TYPE bigint;