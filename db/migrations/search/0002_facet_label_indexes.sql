DROP INDEX "search"."documents_active_brand_idx";--> statement-breakpoint
CREATE INDEX "documents_active_brand_label_idx" ON "search"."documents" USING btree ("brand_slug","brand_name") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "documents_active_category_label_idx" ON "search"."documents" USING btree ("category_path","category_name") WHERE status = 'active';