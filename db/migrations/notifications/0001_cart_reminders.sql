CREATE TABLE "notifications"."cart_reminders" (
	"user_id" text PRIMARY KEY NOT NULL,
	"cart_id" text NOT NULL,
	"reminded_at" timestamp with time zone DEFAULT now() NOT NULL
);
