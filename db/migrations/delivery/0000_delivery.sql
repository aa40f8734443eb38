CREATE SCHEMA "delivery";
--> statement-breakpoint
CREATE TABLE "delivery"."carrier_events" (
	"carrier" text NOT NULL,
	"event_id" text NOT NULL,
	"shipment_id" text,
	"outcome" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "carrier_events_carrier_event_id_pk" PRIMARY KEY("carrier","event_id")
);
--> statement-breakpoint
CREATE TABLE "delivery"."return_lines" (
	"return_id" text NOT NULL,
	"sku" text NOT NULL,
	"product_id" text NOT NULL,
	"name" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_paid_minor" integer NOT NULL,
	"accepted_quantity" integer,
	CONSTRAINT "return_lines_return_id_sku_pk" PRIMARY KEY("return_id","sku"),
	CONSTRAINT "return_lines_quantities" CHECK ("delivery"."return_lines"."quantity" > 0 and "delivery"."return_lines"."unit_paid_minor" >= 0 and ("delivery"."return_lines"."accepted_quantity" is null or "delivery"."return_lines"."accepted_quantity" between 0 and "delivery"."return_lines"."quantity"))
);
--> statement-breakpoint
CREATE TABLE "delivery"."returns" (
	"id" text PRIMARY KEY NOT NULL,
	"rma_number" text NOT NULL,
	"shipment_id" text NOT NULL,
	"order_id" text NOT NULL,
	"order_number" text NOT NULL,
	"user_id" text NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"note" text,
	"currency" text NOT NULL,
	"return_by" date NOT NULL,
	"refund_minor" integer,
	"refund_id" text,
	"inspection_note" text,
	"received_at" timestamp with time zone,
	"inspected_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delivery"."shipment_events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"shipment_id" text NOT NULL,
	"status" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"note" text,
	"source" text NOT NULL,
	"applied" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delivery"."shipments" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"order_number" text NOT NULL,
	"user_id" text NOT NULL,
	"payment_id" text,
	"carrier" text NOT NULL,
	"carrier_label_id" text NOT NULL,
	"tracking_number" text NOT NULL,
	"tracking_url" text,
	"status" text NOT NULL,
	"status_at" timestamp with time zone DEFAULT now() NOT NULL,
	"currency" text NOT NULL,
	"lines" jsonb NOT NULL,
	"address" jsonb NOT NULL,
	"country" text NOT NULL,
	"estimated_delivery" date,
	"dispatched_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "delivery"."return_lines" ADD CONSTRAINT "return_lines_return_id_returns_id_fk" FOREIGN KEY ("return_id") REFERENCES "delivery"."returns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery"."returns" ADD CONSTRAINT "returns_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "delivery"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery"."shipment_events" ADD CONSTRAINT "shipment_events_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "delivery"."shipments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "carrier_events_received_idx" ON "delivery"."carrier_events" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "returns_rma_uq" ON "delivery"."returns" USING btree ("rma_number");--> statement-breakpoint
CREATE INDEX "returns_shipment_idx" ON "delivery"."returns" USING btree ("shipment_id");--> statement-breakpoint
CREATE INDEX "returns_user_idx" ON "delivery"."returns" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "shipment_events_shipment_idx" ON "delivery"."shipment_events" USING btree ("shipment_id","at","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "shipments_order_uq" ON "delivery"."shipments" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shipments_tracking_uq" ON "delivery"."shipments" USING btree ("tracking_number","carrier");--> statement-breakpoint
CREATE INDEX "shipments_user_idx" ON "delivery"."shipments" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "shipments_status_idx" ON "delivery"."shipments" USING btree ("status","id");