CREATE SCHEMA "pipeline";
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
CREATE UNIQUE INDEX "dead_letters_queue_key_uq" ON "pipeline"."dead_letters" USING btree ("queue","message_key");--> statement-breakpoint
CREATE INDEX "dead_letters_status_idx" ON "pipeline"."dead_letters" USING btree ("status","last_dead_at");