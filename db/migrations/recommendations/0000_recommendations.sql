CREATE SCHEMA "recommendations";
--> statement-breakpoint
CREATE TABLE "recommendations"."clicks" (
	"exposure_id" text NOT NULL,
	"product_id" text NOT NULL,
	"clicked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clicks_exposure_id_product_id_pk" PRIMARY KEY("exposure_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "recommendations"."co_purchase" (
	"product_id" text NOT NULL,
	"other_id" text NOT NULL,
	"customers" integer NOT NULL,
	CONSTRAINT "co_purchase_product_id_other_id_pk" PRIMARY KEY("product_id","other_id")
);
--> statement-breakpoint
CREATE TABLE "recommendations"."conversions" (
	"exposure_id" text NOT NULL,
	"product_id" text NOT NULL,
	"order_id" text NOT NULL,
	"converted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversions_exposure_id_product_id_order_id_pk" PRIMARY KEY("exposure_id","product_id","order_id")
);
--> statement-breakpoint
CREATE TABLE "recommendations"."experiments" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"placement" text NOT NULL,
	"arms" jsonb NOT NULL,
	"status" text NOT NULL,
	"conversion_window_hours" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recommendations"."exposures" (
	"id" text PRIMARY KEY NOT NULL,
	"experiment_id" text NOT NULL,
	"arm" text NOT NULL,
	"user_id" text NOT NULL,
	"product_ids" text[] NOT NULL,
	"shown_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recommendations"."items" (
	"product_id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"version" integer NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"brand_id" text,
	"category_path" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"attributes" text[] DEFAULT '{}'::text[] NOT NULL,
	"price_minor" integer,
	"skus" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recommendations"."model_builds" (
	"id" text PRIMARY KEY NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL,
	"figures" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recommendations"."order_lines" (
	"order_id" text NOT NULL,
	"product_id" text NOT NULL,
	"user_id" text NOT NULL,
	"quantity" integer NOT NULL,
	"state" text NOT NULL,
	"ordered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "order_lines_order_id_product_id_pk" PRIMARY KEY("order_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "recommendations"."product_stats" (
	"product_id" text PRIMARY KEY NOT NULL,
	"buyers" integer DEFAULT 0 NOT NULL,
	"trend_score" real DEFAULT 0 NOT NULL,
	"trend_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recommendations"."signals" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text,
	"product_id" text NOT NULL,
	"kind" text NOT NULL,
	"weight" real NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recommendations"."sku_stock" (
	"sku" text PRIMARY KEY NOT NULL,
	"available" integer NOT NULL,
	"version" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recommendations"."user_products" (
	"user_id" text NOT NULL,
	"product_id" text NOT NULL,
	"purchases" integer NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "user_products_user_id_product_id_pk" PRIMARY KEY("user_id","product_id")
);
--> statement-breakpoint
CREATE INDEX "exposures_experiment_idx" ON "recommendations"."exposures" USING btree ("experiment_id","arm");--> statement-breakpoint
CREATE INDEX "exposures_user_idx" ON "recommendations"."exposures" USING btree ("user_id","shown_at");--> statement-breakpoint
CREATE INDEX "items_skus_idx" ON "recommendations"."items" USING gin ("skus");--> statement-breakpoint
CREATE INDEX "items_slug_idx" ON "recommendations"."items" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "items_active_category_idx" ON "recommendations"."items" USING btree ("category_path") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "order_lines_user_idx" ON "recommendations"."order_lines" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "signals_user_idx" ON "recommendations"."signals" USING btree ("user_id","occurred_at" DESC NULLS LAST) WHERE user_id is not null;--> statement-breakpoint
CREATE INDEX "signals_occurred_idx" ON "recommendations"."signals" USING btree ("occurred_at");