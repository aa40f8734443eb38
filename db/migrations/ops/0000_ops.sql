CREATE SCHEMA "ops";
--> statement-breakpoint
CREATE TABLE "ops"."fault_injections" (
	"point" text NOT NULL,
	"key" text NOT NULL,
	"remaining" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fault_injections_point_key_pk" PRIMARY KEY("point","key")
);
