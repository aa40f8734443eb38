CREATE TABLE "ops"."slo_counts" (
	"source" text NOT NULL,
	"seq" integer NOT NULL,
	"indicator" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"good" double precision NOT NULL,
	"total" double precision NOT NULL,
	CONSTRAINT "slo_counts_source_seq_indicator_pk" PRIMARY KEY("source","seq","indicator")
);
--> statement-breakpoint
DROP TABLE "ops"."slo_samples" CASCADE;--> statement-breakpoint
CREATE INDEX "slo_counts_indicator_at" ON "ops"."slo_counts" USING btree ("indicator","at");