CREATE SCHEMA "backups";
--> statement-breakpoint
CREATE TABLE "backups"."operations" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"backup_id" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"rows_done" bigint DEFAULT 0 NOT NULL,
	"bytes_done" bigint DEFAULT 0 NOT NULL,
	"rows_expected" bigint,
	"manifest_key" text,
	"error" text,
	"result" jsonb
);
--> statement-breakpoint
CREATE INDEX "operations_kind_started_idx" ON "backups"."operations" USING btree ("kind","started_at");--> statement-breakpoint
CREATE INDEX "operations_backup_idx" ON "backups"."operations" USING btree ("backup_id");