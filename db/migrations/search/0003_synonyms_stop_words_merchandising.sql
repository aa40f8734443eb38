CREATE TABLE "search"."merchandising" (
	"id" text PRIMARY KEY NOT NULL,
	"query" text NOT NULL,
	"product_id" text NOT NULL,
	"kind" text NOT NULL,
	"position" integer,
	"boost" real,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search"."stop_words" (
	"language" text NOT NULL,
	"word" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stop_words_language_word_pk" PRIMARY KEY("language","word")
);
--> statement-breakpoint
CREATE TABLE "search"."synonyms" (
	"id" text PRIMARY KEY NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"term" text NOT NULL,
	"synonym" text NOT NULL,
	"two_way" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "merchandising_query_product_idx" ON "search"."merchandising" USING btree ("query","product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "synonyms_language_term_synonym_idx" ON "search"."synonyms" USING btree ("language","term","synonym");