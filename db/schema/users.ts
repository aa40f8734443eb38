/** The users family: accounts and their roles. */
import { customType, index, pgSchema, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const usersSchema = pgSchema("users");

/** Case-insensitive text (the citext extension): emails compare without regard to case. */
const citext = customType<{ data: string }>({ dataType: () => "citext" });

export const users = usersSchema.table(
  "users",
  {
    id: text("id").primaryKey(),
    email: citext("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: ["customer", "support", "analyst", "admin"] }).notNull().default("customer"),
    /** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`: algorithm and parameters travel with the hash. */
    passwordHash: text("password_hash").notNull(),
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_uq").on(t.email), index("users_role_idx").on(t.role)],
);
