-- The reports read one currency's confirmed orders or lines, or the views,
-- cart adds and checkouts of a time range. These indexes carry every column
-- those queries use, so they are answered by index-only scans; the partial
-- ones leave out rows no report counts.
CREATE INDEX "order_line_facts_sales_idx" ON "analytics"."order_line_facts" ("currency", "confirmed_at") INCLUDE ("product_id", "quantity", "line_total_minor", "order_id") WHERE "confirmed_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "order_facts_sales_idx" ON "analytics"."order_facts" ("currency", "confirmed_at") INCLUDE ("total_minor", "units", "customer_key", "shipping_country") WHERE "confirmed_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "order_facts_created_idx" ON "analytics"."order_facts" ("created_at") INCLUDE ("customer_key", "currency", "total_minor") WHERE "created_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "product_view_facts_viewed_idx" ON "analytics"."product_view_facts" ("viewed_at") INCLUDE ("customer_key", "weight");--> statement-breakpoint
CREATE INDEX "cart_facts_occurred_idx" ON "analytics"."cart_facts" ("occurred_at") INCLUDE ("kind", "customer_key", "cart_id");
