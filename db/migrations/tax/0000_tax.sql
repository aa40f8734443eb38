CREATE SCHEMA "tax";
--> statement-breakpoint
CREATE TABLE "tax"."product_classes" (
	"product_id" text PRIMARY KEY NOT NULL,
	"tax_class" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tax"."regions" (
	"code" text PRIMARY KEY NOT NULL,
	"country" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"prices_include_tax" boolean NOT NULL,
	"rounding" text NOT NULL,
	"standard_bp" integer NOT NULL,
	"reduced_bp" integer NOT NULL,
	"shipping_tax_class" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "regions_rates" CHECK ("tax"."regions"."standard_bp" between 0 and 10000 and "tax"."regions"."reduced_bp" between 0 and 10000),
	CONSTRAINT "regions_code" CHECK ("tax"."regions"."code" = "tax"."regions"."country" || case when "tax"."regions"."region" = '' then '' else '-' || "tax"."regions"."region" end)
);
