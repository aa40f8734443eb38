CREATE SCHEMA "audit";
--> statement-breakpoint
CREATE TABLE "audit"."checkpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"entries_verified" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"signature" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit"."entries" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"version" integer NOT NULL,
	"topic" text NOT NULL,
	"source" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"actor_type" text,
	"actor_id" text,
	"correlation_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_entries_event_uq" ON "audit"."entries" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "audit_entries_subject_idx" ON "audit"."entries" USING btree ("subject_type","subject_id","seq");--> statement-breakpoint
CREATE INDEX "audit_entries_actor_idx" ON "audit"."entries" USING btree ("actor_id","seq");--> statement-breakpoint
CREATE INDEX "audit_entries_type_time_idx" ON "audit"."entries" USING btree ("type","occurred_at");--> statement-breakpoint
CREATE INDEX "audit_entries_time_idx" ON "audit"."entries" USING btree ("occurred_at");