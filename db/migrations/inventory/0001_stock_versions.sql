ALTER TABLE "inventory"."stock_levels" ADD COLUMN "reorder_point" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "inventory"."stock_levels" ADD COLUMN "reorder_quantity" integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE "inventory"."stock_levels" ADD COLUMN "version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "inventory"."stock_levels" ADD COLUMN "ledger_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "stock_levels_low_idx" ON "inventory"."stock_levels" USING btree ("available","sku") WHERE "inventory"."stock_levels"."available" < "inventory"."stock_levels"."low_stock_threshold";--> statement-breakpoint
CREATE INDEX "stock_levels_unconfirmed_idx" ON "inventory"."stock_levels" USING btree ("sku") WHERE "inventory"."stock_levels"."version" = 0;