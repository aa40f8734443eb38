CREATE SCHEMA "orders";
--> statement-breakpoint
CREATE SEQUENCE "orders"."order_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "orders"."order_lines" (
	"order_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"sku" text NOT NULL,
	"product_id" text NOT NULL,
	"variant_id" text NOT NULL,
	"name" text NOT NULL,
	"options" jsonb NOT NULL,
	"quantity" integer NOT NULL,
	"unit_base_minor" integer NOT NULL,
	"unit_discount_minor" integer NOT NULL,
	"unit_price_minor" integer NOT NULL,
	"line_total_minor" integer NOT NULL,
	"discount_name" text,
	CONSTRAINT "order_lines_order_id_line_no_pk" PRIMARY KEY("order_id","line_no"),
	CONSTRAINT "order_lines_quantity_positive" CHECK ("orders"."order_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "orders"."order_timeline" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"actor" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders"."orders" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"user_id" text NOT NULL,
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"currency" text NOT NULL,
	"subtotal_minor" integer NOT NULL,
	"discount_minor" integer NOT NULL,
	"shipping_minor" integer NOT NULL,
	"tax_minor" integer NOT NULL,
	"total_minor" integer NOT NULL,
	"item_count" integer NOT NULL,
	"shipping_address" jsonb NOT NULL,
	"notes" text,
	"reservation_id" text NOT NULL,
	"hold_expires_at" timestamp with time zone NOT NULL,
	"create_key" text,
	"create_hash" text NOT NULL,
	"create_answer" json,
	"confirm_key" text,
	"payment_method_id" text,
	"confirm_answer" json,
	"payment_id" text,
	"shipment_id" text,
	"retries" integer DEFAULT 0 NOT NULL,
	"retry_at" timestamp with time zone,
	"payment_deadline" timestamp with time zone,
	"cancel_reason" text,
	"refund_minor" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_amounts_nonnegative" CHECK ("orders"."orders"."subtotal_minor" >= 0 and "orders"."orders"."discount_minor" >= 0 and "orders"."orders"."shipping_minor" >= 0 and "orders"."orders"."tax_minor" >= 0 and "orders"."orders"."total_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "orders"."saga_steps" (
	"order_id" text NOT NULL,
	"step" text NOT NULL,
	"state" text NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"result" jsonb,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "saga_steps_order_id_step_pk" PRIMARY KEY("order_id","step")
);
--> statement-breakpoint
ALTER TABLE "orders"."order_lines" ADD CONSTRAINT "order_lines_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "orders"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders"."order_timeline" ADD CONSTRAINT "order_timeline_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "orders"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders"."saga_steps" ADD CONSTRAINT "saga_steps_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "orders"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_timeline_order_idx" ON "orders"."order_timeline" USING btree ("order_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_number_uq" ON "orders"."orders" USING btree ("number");--> statement-breakpoint
CREATE INDEX "orders_user_created_idx" ON "orders"."orders" USING btree ("user_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_created_idx" ON "orders"."orders" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_unsettled_idx" ON "orders"."orders" USING btree ("status","updated_at") WHERE status in ('pending', 'confirming', 'awaiting_payment', 'cancelling');