CREATE SCHEMA "reports";
--> statement-breakpoint
CREATE TABLE "reports"."runs" (
	"id" text PRIMARY KEY NOT NULL,
	"definition" text NOT NULL,
	"params" jsonb NOT NULL,
	"formats" text[] NOT NULL,
	"request_key" text NOT NULL,
	"access" text NOT NULL,
	"requested_by" text,
	"schedule_id" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"row_count" integer,
	"files" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"purged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "reports"."schedules" (
	"id" text PRIMARY KEY NOT NULL,
	"definition" text NOT NULL,
	"params" jsonb NOT NULL,
	"formats" text[] NOT NULL,
	"frequency" text NOT NULL,
	"subscriber_id" text NOT NULL,
	"access" text NOT NULL,
	"created_by" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"next_run_at" timestamp with time zone NOT NULL,
	"last_run_id" text,
	"failures" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "runs_definition_created_idx" ON "reports"."runs" USING btree ("definition","created_at");--> statement-breakpoint
CREATE INDEX "runs_request_key_idx" ON "reports"."runs" USING btree ("request_key","created_at");--> statement-breakpoint
CREATE INDEX "runs_pending_idx" ON "reports"."runs" USING btree ("created_at") WHERE status in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "schedules_due_idx" ON "reports"."schedules" USING btree ("next_run_at") WHERE active;--> statement-breakpoint
CREATE INDEX "schedules_subscriber_idx" ON "reports"."schedules" USING btree ("subscriber_id");