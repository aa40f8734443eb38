-- Sales by product, category and brand read only confirmed lines of one
-- currency in a time range: a partial index that carries every column those
-- queries sum answers them from the index alone (an index-only scan).
CREATE INDEX "order_line_facts_sales_idx" ON "analytics"."order_line_facts" ("currency", "confirmed_at") INCLUDE ("product_id", "quantity", "line_total_minor", "order_id") WHERE "confirmed_at" IS NOT NULL;
