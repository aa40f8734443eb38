CREATE SCHEMA "events";
--> statement-breakpoint
CREATE SCHEMA "pipeline";
--> statement-breakpoint
CREATE SCHEMA "scheduler";
--> statement-breakpoint
CREATE SCHEMA "ops";
--> statement-breakpoint
CREATE SCHEMA "catalog";
--> statement-breakpoint
CREATE SCHEMA "inventory";
--> statement-breakpoint
CREATE SCHEMA "users";
--> statement-breakpoint
CREATE TABLE "events"."outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"topic" text NOT NULL,
	"type" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_until" timestamp with time zone,
	"published_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "events"."processed_events" (
	"consumer" text NOT NULL,
	"event_id" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_events_consumer_event_id_pk" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "pipeline"."dead_letters" (
	"id" text PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"message_key" text NOT NULL,
	"event_type" text,
	"body" jsonb NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'parked' NOT NULL,
	"dead_lettered_count" integer DEFAULT 1 NOT NULL,
	"replay_count" integer DEFAULT 0 NOT NULL,
	"first_dead_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_dead_at" timestamp with time zone DEFAULT now() NOT NULL,
	"replayed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "pipeline"."event_stats" (
	"topic" text NOT NULL,
	"type" text NOT NULL,
	"received" bigint DEFAULT 0 NOT NULL,
	"last_occurred_at" timestamp with time zone,
	"last_received_at" timestamp with time zone,
	"last_lag_ms" bigint,
	"max_lag_ms" bigint,
	CONSTRAINT "event_stats_topic_type_pk" PRIMARY KEY("topic","type")
);
--> statement-breakpoint
CREATE TABLE "scheduler"."job_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"job" text NOT NULL,
	"trigger" text NOT NULL,
	"cron" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text NOT NULL,
	"error" text,
	"result" jsonb
);
--> statement-breakpoint
CREATE TABLE "ops"."fault_injections" (
	"point" text NOT NULL,
	"key" text NOT NULL,
	"remaining" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fault_injections_point_key_pk" PRIMARY KEY("point","key")
);
--> statement-breakpoint
CREATE TABLE "catalog"."brands" (
	"id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog"."categories" (
	"id" text PRIMARY KEY NOT NULL,
	"parent_id" text,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"path" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog"."products" (
	"id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"brand_id" text,
	"category_id" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog"."variants" (
	"id" text PRIMARY KEY NOT NULL,
	"product_id" text NOT NULL,
	"sku" text NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"price_minor" integer NOT NULL,
	"compare_at_minor" integer,
	"currency" char(3) NOT NULL,
	"weight_grams" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inventory"."stock_levels" (
	"sku" text PRIMARY KEY NOT NULL,
	"on_hand" integer DEFAULT 0 NOT NULL,
	"reserved" integer DEFAULT 0 NOT NULL,
	"available" integer DEFAULT 0 NOT NULL,
	"low_stock_threshold" integer DEFAULT 5 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users"."users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" "citext" NOT NULL,
	"name" text NOT NULL,
	"role" text DEFAULT 'customer' NOT NULL,
	"password_hash" text NOT NULL,
	"email_verified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalog"."products" ADD CONSTRAINT "products_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "catalog"."brands"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."products" ADD CONSTRAINT "products_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "catalog"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."variants" ADD CONSTRAINT "variants_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "catalog"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "events"."outbox" USING btree ("seq") WHERE "events"."outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_published_idx" ON "events"."outbox" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "processed_events_time_idx" ON "events"."processed_events" USING btree ("processed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "dead_letters_queue_key_uq" ON "pipeline"."dead_letters" USING btree ("queue","message_key");--> statement-breakpoint
CREATE INDEX "dead_letters_status_idx" ON "pipeline"."dead_letters" USING btree ("status","last_dead_at");--> statement-breakpoint
CREATE INDEX "job_runs_job_started_idx" ON "scheduler"."job_runs" USING btree ("job","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "brands_slug_uq" ON "catalog"."brands" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "categories_path_uq" ON "catalog"."categories" USING btree ("path");--> statement-breakpoint
CREATE INDEX "categories_parent_idx" ON "catalog"."categories" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "products_slug_uq" ON "catalog"."products" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "products_category_idx" ON "catalog"."products" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "products_brand_idx" ON "catalog"."products" USING btree ("brand_id");--> statement-breakpoint
CREATE UNIQUE INDEX "variants_sku_uq" ON "catalog"."variants" USING btree ("sku");--> statement-breakpoint
CREATE INDEX "variants_product_idx" ON "catalog"."variants" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_uq" ON "users"."users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "users_role_idx" ON "users"."users" USING btree ("role");