CREATE TABLE "pipeline"."lag_histogram" (
	"topic" text NOT NULL,
	"type" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"bucket" smallint NOT NULL,
	"count" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "lag_histogram_topic_type_minute_bucket_pk" PRIMARY KEY("topic","type","minute","bucket")
);
--> statement-breakpoint
CREATE TABLE "pipeline"."quarantine" (
	"id" text PRIMARY KEY NOT NULL,
	"event_key" text NOT NULL,
	"topic" text NOT NULL,
	"type" text NOT NULL,
	"version" integer,
	"body" jsonb NOT NULL,
	"reason" text NOT NULL,
	"issues" jsonb NOT NULL,
	"origin" text NOT NULL,
	"status" text DEFAULT 'quarantined' NOT NULL,
	"seen_count" integer DEFAULT 1 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_attempt_at" timestamp with time zone,
	"replayed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "pipeline"."event_stats" ADD COLUMN "valid" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "pipeline"."event_stats" ADD COLUMN "quarantined" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "lag_histogram_minute_idx" ON "pipeline"."lag_histogram" USING btree ("minute");--> statement-breakpoint
CREATE UNIQUE INDEX "quarantine_event_key_uq" ON "pipeline"."quarantine" USING btree ("event_key");--> statement-breakpoint
CREATE INDEX "quarantine_status_idx" ON "pipeline"."quarantine" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "quarantine_type_idx" ON "pipeline"."quarantine" USING btree ("type","status");--> statement-breakpoint
-- Until now every counted event was taken as valid.
UPDATE "pipeline"."event_stats" SET "valid" = "received";