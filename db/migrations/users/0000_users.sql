CREATE SCHEMA "users";
--> statement-breakpoint
CREATE TABLE "users"."users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" "citext" NOT NULL,
	"name" text NOT NULL,
	"role" text DEFAULT 'customer' NOT NULL,
	"password_hash" text NOT NULL,
	"email_verified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_uq" ON "users"."users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "users_role_idx" ON "users"."users" USING btree ("role");