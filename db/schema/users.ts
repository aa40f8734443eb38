/** The users family: accounts, their roles and profiles, and their addresses. */
import { sql } from "drizzle-orm";
import { boolean, char, customType, index, integer, jsonb, pgSchema, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const usersSchema = pgSchema("users");

/** Case-insensitive text (the citext extension): emails compare without regard to case. */
const citext = customType<{ data: string }>({ dataType: () => "citext" });

export interface NotificationPreferences {
  orderUpdates: boolean;
  marketingEmails: boolean;
  productRecommendations: boolean;
  sms: boolean;
}

export const users = usersSchema.table(
  "users",
  {
    id: text("id").primaryKey(),
    /** Null once the account is deleted: the personal data is erased, the id stays as a tombstone. */
    email: citext("email"),
    name: text("name").notNull(),
    role: text("role", { enum: ["customer", "support", "analyst", "admin"] })
      .notNull()
      .default("customer"),
    /**
     * `pbkdf2-sha256$i=<iterations>,r=<rounds>$<salt b64>$<hash b64>` (or the older
     * `pbkdf2-sha256$<iterations>$…`): algorithm and parameters travel with the hash.
     * Null for accounts that only sign in through an external identity provider.
     */
    passwordHash: text("password_hash"),
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
    /** A new address the owner asked for; the account keeps `email` until a link mailed to this one confirms it. */
    pendingEmail: citext("pending_email"),
    phone: text("phone"),
    locale: text("locale").notNull().default("en"),
    notificationPreferences: jsonb("notification_preferences")
      .$type<NotificationPreferences>()
      .notNull()
      .default({ orderUpdates: true, marketingEmails: false, productRecommendations: false, sms: false }),
    /** Bumped on every profile change; events carry it so consumers can order them. */
    version: integer("version").notNull().default(1),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_uq").on(t.email), index("users_role_idx").on(t.role)],
);

export const addresses = usersSchema.table(
  "addresses",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    label: text("label"),
    recipient: text("recipient").notNull(),
    line1: text("line1").notNull(),
    line2: text("line2"),
    city: text("city").notNull(),
    region: text("region"),
    postalCode: text("postal_code").notNull(),
    /** ISO 3166-1 alpha-2. */
    country: char("country", { length: 2 }).notNull(),
    phone: text("phone"),
    isDefaultShipping: boolean("is_default_shipping").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("addresses_user_idx").on(t.userId),
    // At most one default shipping address per user, whatever races.
    uniqueIndex("addresses_default_shipping_uq").on(t.userId).where(sql`${t.isDefaultShipping}`),
  ],
);
