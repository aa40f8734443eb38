/**
 * The auth family: sign-in sessions (refresh-token families), the hashes of
 * their refresh tokens, single-use verification and reset tokens, TOTP
 * factors with their recovery codes, and links to external identities (SSO).
 * Every token is stored as a SHA-256 hash: a copy of these tables lets no
 * one sign in. Users are referred to by id only (no cross-family keys).
 */
import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, pgSchema, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

export const authSchema = pgSchema("auth");

/** One sign-in: the family of refresh tokens that descend from it by rotation. */
export const sessions = authSchema.table(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    method: text("method", { enum: ["password", "sso"] }).notNull(),
    /** Whether a second factor was presented when the session began. */
    mfa: boolean("mfa").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }).notNull().defaultNow(),
    /** Absolute end of the session, whatever the rotations. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedReason: text("revoked_reason"),
  },
  (t) => [index("sessions_user_active_idx").on(t.userId).where(sql`${t.revokedAt} is null`)],
);

export const refreshTokens = authSchema.table(
  "refresh_tokens",
  {
    /** SHA-256 of the opaque token, hex. */
    tokenHash: text("token_hash").primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    generation: integer("generation").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** Set when the token is exchanged; a second use is a reuse and revokes the session. */
    rotatedAt: timestamp("rotated_at", { withTimezone: true }),
  },
  (t) => [index("refresh_tokens_session_idx").on(t.sessionId)],
);

/** Single-use tokens mailed to the user: email verification, password reset, and an email change's confirmation and revert. */
export const oneTimeTokens = authSchema.table(
  "one_time_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    purpose: text("purpose", { enum: ["verify_email", "reset_password", "change_email", "revert_email"] }).notNull(),
    userId: text("user_id").notNull(),
    /** The address the token was sent to; a verification only counts while it is still the account's address. */
    email: text("email").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("one_time_tokens_user_idx").on(t.userId, t.purpose)],
);

export const mfaFactors = authSchema.table("mfa_factors", {
  userId: text("user_id").primaryKey(),
  /** The TOTP secret, encrypted with AES-GCM under MFA_ENCRYPTION_KEY (`v1.<iv>.<ciphertext>`). */
  secret: text("secret").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  /** Null while enrolment awaits its first code. */
  confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
  /** The last 30-second step a code was accepted for: a code is good once. */
  lastUsedStep: bigint("last_used_step", { mode: "number" }).notNull().default(0),
});

export const recoveryCodes = authSchema.table(
  "recovery_codes",
  {
    userId: text("user_id").notNull(),
    codeHash: text("code_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

/** An account at a trusted OpenID Connect issuer, linked to a user. */
export const externalIdentities = authSchema.table(
  "external_identities",
  {
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    userId: text("user_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.issuer, t.subject] }), index("external_identities_user_idx").on(t.userId)],
);
