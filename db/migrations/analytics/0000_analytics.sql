CREATE SCHEMA "analytics";
--> statement-breakpoint
CREATE TABLE "analytics"."cart_facts" (
	"event_id" text PRIMARY KEY NOT NULL,
	"cart_id" text NOT NULL,
	"kind" text NOT NULL,
	"sku" text,
	"quantity" integer NOT NULL,
	"value_minor" bigint,
	"currency" text,
	"customer_key" text,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics"."daily_metrics" (
	"day" date NOT NULL,
	"currency" text NOT NULL,
	"metric" text NOT NULL,
	"value" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_metrics_day_currency_metric_pk" PRIMARY KEY("day","currency","metric")
);
--> statement-breakpoint
CREATE TABLE "analytics"."delivery_facts" (
	"event_id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"shipment_id" text NOT NULL,
	"order_id" text NOT NULL,
	"customer_key" text,
	"carrier" text,
	"country" text,
	"status" text,
	"estimated_delivery" date,
	"delivered_at" timestamp with time zone,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics"."inventory_facts" (
	"event_id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"sku" text NOT NULL,
	"available" integer NOT NULL,
	"on_hand" integer NOT NULL,
	"stock_version" integer NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics"."order_facts" (
	"order_id" text PRIMARY KEY NOT NULL,
	"order_number" text,
	"customer_key" text,
	"currency" text,
	"subtotal_minor" bigint,
	"discount_minor" bigint,
	"shipping_minor" bigint,
	"tax_minor" bigint,
	"total_minor" bigint,
	"shipping_country" text,
	"line_count" integer,
	"units" integer,
	"created_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"returned_at" timestamp with time zone,
	"refunded_minor" bigint DEFAULT 0 NOT NULL,
	"refund_count" integer DEFAULT 0 NOT NULL,
	"status" text GENERATED ALWAYS AS (case when cancelled_at is not null then 'cancelled' when completed_at is not null then 'completed' when confirmed_at is not null then 'confirmed' when created_at is not null then 'created' else 'unknown' end) STORED,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics"."order_line_facts" (
	"order_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"event_id" text NOT NULL,
	"product_id" text NOT NULL,
	"sku" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"line_total_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "order_line_facts_order_id_line_no_pk" PRIMARY KEY("order_id","line_no")
);
--> statement-breakpoint
CREATE TABLE "analytics"."payment_facts" (
	"event_id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"payment_id" text NOT NULL,
	"refund_id" text,
	"order_id" text NOT NULL,
	"customer_key" text,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"provider" text,
	"reason" text,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics"."product_dim" (
	"product_id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"status" text NOT NULL,
	"category_id" text,
	"category_name" text,
	"category_path" text,
	"brand_id" text,
	"brand_name" text,
	"deleted" boolean DEFAULT false NOT NULL,
	"version" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics"."product_view_facts" (
	"event_id" text PRIMARY KEY NOT NULL,
	"product_ref" text NOT NULL,
	"product_id" text,
	"customer_key" text,
	"weight" real DEFAULT 1 NOT NULL,
	"viewed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics"."signup_facts" (
	"customer_key" text PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"role" text NOT NULL,
	"via" text NOT NULL,
	"locale" text NOT NULL,
	"signed_up_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics"."sku_dim" (
	"sku" text PRIMARY KEY NOT NULL,
	"product_id" text NOT NULL,
	"version" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics"."sku_stock" (
	"sku" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"available" integer NOT NULL,
	"on_hand" integer NOT NULL,
	"reserved" integer NOT NULL,
	"low_stock_threshold" integer NOT NULL,
	"stock_version" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "cart_facts_customer_idx" ON "analytics"."cart_facts" USING btree ("customer_key");--> statement-breakpoint
CREATE INDEX "delivery_facts_occurred_idx" ON "analytics"."delivery_facts" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "delivery_facts_order_idx" ON "analytics"."delivery_facts" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "delivery_facts_customer_idx" ON "analytics"."delivery_facts" USING btree ("customer_key");--> statement-breakpoint
CREATE INDEX "inventory_facts_occurred_idx" ON "analytics"."inventory_facts" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "inventory_facts_sku_idx" ON "analytics"."inventory_facts" USING btree ("sku");--> statement-breakpoint
CREATE INDEX "order_facts_customer_idx" ON "analytics"."order_facts" USING btree ("customer_key","currency","confirmed_at");--> statement-breakpoint
CREATE INDEX "order_line_facts_event_idx" ON "analytics"."order_line_facts" USING btree ("event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_facts_refund_uq" ON "analytics"."payment_facts" USING btree ("refund_id");--> statement-breakpoint
CREATE INDEX "payment_facts_kind_idx" ON "analytics"."payment_facts" USING btree ("currency","kind","occurred_at");--> statement-breakpoint
CREATE INDEX "payment_facts_order_idx" ON "analytics"."payment_facts" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "payment_facts_customer_idx" ON "analytics"."payment_facts" USING btree ("customer_key");--> statement-breakpoint
CREATE INDEX "product_dim_slug_idx" ON "analytics"."product_dim" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "product_view_facts_customer_idx" ON "analytics"."product_view_facts" USING btree ("customer_key");--> statement-breakpoint
CREATE UNIQUE INDEX "signup_facts_event_uq" ON "analytics"."signup_facts" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "signup_facts_signed_up_idx" ON "analytics"."signup_facts" USING btree ("signed_up_at");--> statement-breakpoint
CREATE INDEX "sku_stock_status_idx" ON "analytics"."sku_stock" USING btree ("status");