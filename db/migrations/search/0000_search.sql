CREATE SCHEMA "search";
--> statement-breakpoint
CREATE TABLE "search"."documents" (
	"product_id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"version" integer NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"brand_id" text,
	"brand_slug" text,
	"brand_name" text,
	"category_id" text,
	"category_slug" text,
	"category_name" text,
	"category_path" text,
	"category_key" text GENERATED ALWAYS AS (category_path || '/') STORED,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"image_url" text,
	"price_min_minor" integer,
	"price_max_minor" integer,
	"compare_at_minor" integer,
	"currency" text,
	"skus" text[] DEFAULT '{}'::text[] NOT NULL,
	"in_stock" boolean DEFAULT false NOT NULL,
	"rating_average" double precision DEFAULT 0 NOT NULL,
	"rating_count" integer DEFAULT 0 NOT NULL,
	"rating_version" integer DEFAULT 0 NOT NULL,
	"product_created_at" timestamp with time zone,
	"product_updated_at" timestamp with time zone,
	"indexed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reindex_run" text
);
--> statement-breakpoint
CREATE TABLE "search"."lexicon" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search"."query_log" (
	"id" text PRIMARY KEY NOT NULL,
	"query" text NOT NULL,
	"normalized" text NOT NULL,
	"corrected" text,
	"filters" jsonb NOT NULL,
	"sort" text NOT NULL,
	"page" integer NOT NULL,
	"result_count" integer NOT NULL,
	"latency_ms" real NOT NULL,
	"request_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search"."sku_availability" (
	"sku" text PRIMARY KEY NOT NULL,
	"available" integer NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "documents_active_created_idx" ON "search"."documents" USING btree ("product_created_at" DESC NULLS LAST,"product_id" DESC NULLS LAST) WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "documents_active_brand_idx" ON "search"."documents" USING btree ("brand_slug") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "documents_active_price_idx" ON "search"."documents" USING btree ("price_min_minor") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "documents_skus_idx" ON "search"."documents" USING gin ("skus");--> statement-breakpoint
CREATE INDEX "query_log_created_idx" ON "search"."query_log" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "query_log_zero_results_idx" ON "search"."query_log" USING btree ("created_at") WHERE result_count = 0;