CREATE SCHEMA "notifications";
--> statement-breakpoint
CREATE TABLE "notifications"."captured_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"channel" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"delivery_id" text NOT NULL,
	"user_id" text,
	"recipient" text NOT NULL,
	"subject" text,
	"text" text NOT NULL,
	"html" text,
	"data" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications"."deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"source_id" text NOT NULL,
	"source_type" text NOT NULL,
	"template" text NOT NULL,
	"category" text NOT NULL,
	"locale" text NOT NULL,
	"channel" text NOT NULL,
	"user_id" text,
	"recipient_masked" text,
	"recipient_hash" text NOT NULL,
	"subject" text,
	"status" text NOT NULL,
	"skip_reason" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_until" timestamp with time zone,
	"provider" text,
	"provider_message_id" text,
	"provider_idempotent" boolean,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notifications"."delivery_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"delivery_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"provider" text NOT NULL,
	"outcome" text NOT NULL,
	"http_status" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications"."provider_events" (
	"id" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"provider_event_id" text NOT NULL,
	"kind" text NOT NULL,
	"provider_message_id" text,
	"delivery_id" text,
	"detail" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications"."push_subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"endpoint" text NOT NULL,
	"p256dh" text NOT NULL,
	"auth" text NOT NULL,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_success_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notifications"."suppressions" (
	"channel" text NOT NULL,
	"recipient_hash" text NOT NULL,
	"reason" text NOT NULL,
	"delivery_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suppressions_channel_recipient_hash_pk" PRIMARY KEY("channel","recipient_hash")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "captured_messages_key_uq" ON "notifications"."captured_messages" USING btree ("provider","idempotency_key");--> statement-breakpoint
CREATE INDEX "captured_messages_recipient_idx" ON "notifications"."captured_messages" USING btree ("recipient","id");--> statement-breakpoint
CREATE INDEX "captured_messages_user_idx" ON "notifications"."captured_messages" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_idempotency_uq" ON "notifications"."deliveries" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "deliveries_user_idx" ON "notifications"."deliveries" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "deliveries_source_idx" ON "notifications"."deliveries" USING btree ("source_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_provider_message_uq" ON "notifications"."deliveries" USING btree ("provider","provider_message_id") WHERE "notifications"."deliveries"."provider_message_id" is not null;--> statement-breakpoint
CREATE INDEX "delivery_attempts_delivery_idx" ON "notifications"."delivery_attempts" USING btree ("delivery_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_events_uq" ON "notifications"."provider_events" USING btree ("provider","provider_event_id");--> statement-breakpoint
CREATE INDEX "provider_events_delivery_idx" ON "notifications"."provider_events" USING btree ("delivery_id");--> statement-breakpoint
CREATE UNIQUE INDEX "push_subscriptions_endpoint_uq" ON "notifications"."push_subscriptions" USING btree ("endpoint");--> statement-breakpoint
CREATE INDEX "push_subscriptions_user_idx" ON "notifications"."push_subscriptions" USING btree ("user_id");