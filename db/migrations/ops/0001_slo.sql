CREATE TABLE "ops"."slo_samples" (
	"slo" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"good" double precision NOT NULL,
	"total" double precision NOT NULL,
	CONSTRAINT "slo_samples_slo_at_pk" PRIMARY KEY("slo","at")
);
--> statement-breakpoint
CREATE TABLE "ops"."slo_states" (
	"slo" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"long_burn" double precision,
	"short_burn" double precision,
	"breaches" integer DEFAULT 0 NOT NULL,
	"pending_alert" text,
	"evaluated_at" timestamp with time zone NOT NULL
);
