CREATE TABLE "catalog"."discounts" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"percent_bp" integer,
	"amount_minor" integer,
	"currency" char(3),
	"scope" text NOT NULL,
	"product_id" text,
	"category_id" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "discounts_kind_value" CHECK (("catalog"."discounts"."kind" = 'percentage' and "catalog"."discounts"."percent_bp" between 1 and 10000 and "catalog"."discounts"."amount_minor" is null)
        or ("catalog"."discounts"."kind" = 'fixed' and "catalog"."discounts"."amount_minor" > 0 and "catalog"."discounts"."currency" is not null and "catalog"."discounts"."percent_bp" is null)),
	CONSTRAINT "discounts_scope_target" CHECK (("catalog"."discounts"."scope" = 'all' and "catalog"."discounts"."product_id" is null and "catalog"."discounts"."category_id" is null)
        or ("catalog"."discounts"."scope" = 'product' and "catalog"."discounts"."product_id" is not null and "catalog"."discounts"."category_id" is null)
        or ("catalog"."discounts"."scope" = 'category' and "catalog"."discounts"."category_id" is not null and "catalog"."discounts"."product_id" is null)),
	CONSTRAINT "discounts_window" CHECK ("catalog"."discounts"."ends_at" is null or "catalog"."discounts"."ends_at" > "catalog"."discounts"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "catalog"."edge_cache_urls" (
	"url" text PRIMARY KEY NOT NULL,
	"product_id" text,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog"."media" (
	"key" text PRIMARY KEY NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog"."price_windows" (
	"product_id" text NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone NOT NULL,
	"min_price_minor" integer NOT NULL,
	"max_price_minor" integer NOT NULL,
	"currency" char(3) NOT NULL,
	"discounted" boolean NOT NULL,
	CONSTRAINT "price_windows_product_id_valid_from_pk" PRIMARY KEY("product_id","valid_from")
);
--> statement-breakpoint
CREATE TABLE "catalog"."product_images" (
	"id" text PRIMARY KEY NOT NULL,
	"product_id" text NOT NULL,
	"media_key" text,
	"external_url" text,
	"alt" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_images_source" CHECK (("catalog"."product_images"."media_key" is null) <> ("catalog"."product_images"."external_url" is null))
);
--> statement-breakpoint
ALTER TABLE "catalog"."brands" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."brands" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."categories" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."categories" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."products" ADD COLUMN "rating_avg" numeric(3, 2) DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."products" ADD COLUMN "rating_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."variants" ADD COLUMN "length_mm" integer;--> statement-breakpoint
ALTER TABLE "catalog"."variants" ADD COLUMN "width_mm" integer;--> statement-breakpoint
ALTER TABLE "catalog"."variants" ADD COLUMN "height_mm" integer;--> statement-breakpoint
ALTER TABLE "catalog"."variants" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."discounts" ADD CONSTRAINT "discounts_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "catalog"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."discounts" ADD CONSTRAINT "discounts_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "catalog"."categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."price_windows" ADD CONSTRAINT "price_windows_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "catalog"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."product_images" ADD CONSTRAINT "product_images_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "catalog"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."product_images" ADD CONSTRAINT "product_images_media_key_media_key_fk" FOREIGN KEY ("media_key") REFERENCES "catalog"."media"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "discounts_ends_idx" ON "catalog"."discounts" USING btree ("ends_at");--> statement-breakpoint
CREATE INDEX "discounts_product_idx" ON "catalog"."discounts" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "discounts_category_idx" ON "catalog"."discounts" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "edge_cache_urls_product_idx" ON "catalog"."edge_cache_urls" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "edge_cache_urls_expires_idx" ON "catalog"."edge_cache_urls" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "price_windows_price_idx" ON "catalog"."price_windows" USING btree ("min_price_minor","product_id");--> statement-breakpoint
CREATE INDEX "product_images_product_idx" ON "catalog"."product_images" USING btree ("product_id","position");--> statement-breakpoint
CREATE INDEX "products_tags_idx" ON "catalog"."products" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "products_active_rating_idx" ON "catalog"."products" USING btree ("rating_avg" DESC NULLS LAST,"rating_count" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE status = 'active';--> statement-breakpoint
ALTER TABLE "catalog"."variants" ADD CONSTRAINT "variants_price_nonnegative" CHECK ("catalog"."variants"."price_minor" >= 0);