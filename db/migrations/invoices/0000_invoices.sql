CREATE SCHEMA "invoices";
--> statement-breakpoint
CREATE TABLE "invoices"."counters" (
	"series" text NOT NULL,
	"year" integer NOT NULL,
	"last_number" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "counters_series_year_pk" PRIMARY KEY("series","year")
);
--> statement-breakpoint
CREATE TABLE "invoices"."documents" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"series" text NOT NULL,
	"year" integer NOT NULL,
	"seq" integer NOT NULL,
	"number" text NOT NULL,
	"order_id" text NOT NULL,
	"user_id" text NOT NULL,
	"source_id" text NOT NULL,
	"invoice_id" text,
	"currency" text NOT NULL,
	"tax_minor" bigint NOT NULL,
	"total_minor" bigint NOT NULL,
	"content" jsonb NOT NULL,
	"pdf_key" text,
	"pdf_bytes" integer,
	"issued_at" timestamp with time zone NOT NULL,
	CONSTRAINT "documents_sign" CHECK (("invoices"."documents"."kind" = 'invoice' and "invoices"."documents"."total_minor" >= 0) or ("invoices"."documents"."kind" = 'credit_note' and "invoices"."documents"."total_minor" <= 0))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "documents_number_uq" ON "invoices"."documents" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_series_year_seq_uq" ON "invoices"."documents" USING btree ("series","year","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_kind_source_uq" ON "invoices"."documents" USING btree ("kind","source_id");--> statement-breakpoint
CREATE INDEX "documents_order_idx" ON "invoices"."documents" USING btree ("order_id","issued_at");