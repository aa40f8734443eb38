CREATE SCHEMA "scheduler";
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
CREATE INDEX "job_runs_job_started_idx" ON "scheduler"."job_runs" USING btree ("job","started_at");