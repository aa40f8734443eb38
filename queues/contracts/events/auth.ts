/**
 * Auth events (topic `auth`). Sign-ins, failures and session changes carry
 * ids only. The two mail requests carry what the notification consumer needs
 * to send the mail: the address and the single-use token (stored here only
 * as a hash). Consumers other than notifications must not keep `token`.
 */
import { z } from "zod";
import { defineEvent } from "../../../workers/platform/event-contracts.ts";

const Method = z.enum(["password", "sso"]);

export const UserAuthenticated = defineEvent({
  type: "UserAuthenticated",
  version: 1,
  topic: "auth",
  description: "A user signed in and a session began.",
  payload: z.object({ userId: z.string(), sessionId: z.string(), method: Method, mfa: z.boolean() }),
});

export const LoginFailed = defineEvent({
  type: "LoginFailed",
  version: 1,
  topic: "auth",
  description: "A sign-in attempt failed. `userId` is null when no account matched; the address tried is not carried.",
  payload: z.object({
    userId: z.string().nullable(),
    method: z.enum(["password", "mfa", "sso"]),
    reason: z.enum(["invalid_credentials", "invalid_second_factor", "invalid_external_token"]),
  }),
});

export const TokenRefreshed = defineEvent({
  type: "TokenRefreshed",
  version: 1,
  topic: "auth",
  description: "A refresh token was exchanged (rotated) for new tokens.",
  payload: z.object({ userId: z.string(), sessionId: z.string(), generation: z.number().int().positive() }),
});

export const RefreshTokenReused = defineEvent({
  type: "RefreshTokenReused",
  version: 1,
  topic: "auth",
  description: "A refresh token was presented after it had been rotated: it may have been stolen, so its whole session was revoked.",
  payload: z.object({ userId: z.string(), sessionId: z.string() }),
});

export const SessionsRevoked = defineEvent({
  type: "SessionsRevoked",
  version: 1,
  topic: "auth",
  description: "Sessions of a user ended before their time (sign-out everywhere, password reset, account deletion).",
  payload: z.object({
    userId: z.string(),
    reason: z.enum(["logout_all", "password_reset", "password_changed", "account_deleted", "email_reverted"]),
    count: z.number().int().nonnegative(),
  }),
});

export const EmailVerificationRequested = defineEvent({
  type: "EmailVerificationRequested",
  version: 1,
  topic: "auth",
  description: "Send a mail with an email verification token to the address of an account.",
  payload: z.object({ userId: z.string(), email: z.string(), locale: z.string(), token: z.string(), expiresAt: z.string() }),
});

export const EmailChangeRequested = defineEvent({
  type: "EmailChangeRequested",
  version: 1,
  topic: "auth",
  description:
    "Send a mail with a single-use confirmation token to the new address an account asked to move to; the account keeps its address until then.",
  payload: z.object({ userId: z.string(), email: z.string(), locale: z.string(), token: z.string(), expiresAt: z.string() }),
});

export const EmailChanged = defineEvent({
  type: "EmailChanged",
  version: 1,
  topic: "auth",
  description:
    "An account's address changed: a notice goes to the previous address (`email`) with a single-use token that moves the account back and ends every session.",
  payload: z.object({
    userId: z.string(),
    email: z.string(),
    locale: z.string(),
    newEmailHint: z.string(),
    token: z.string(),
    expiresAt: z.string(),
  }),
});

export const PasswordResetRequested = defineEvent({
  type: "PasswordResetRequested",
  version: 1,
  topic: "auth",
  description: "Send a mail with a password reset token to the address of an account.",
  payload: z.object({ userId: z.string(), email: z.string(), locale: z.string(), token: z.string(), expiresAt: z.string() }),
});

export const PasswordChanged = defineEvent({
  type: "PasswordChanged",
  version: 1,
  topic: "auth",
  description: "The password of an account changed (a security notice goes to its owner).",
  payload: z.object({ userId: z.string(), via: z.enum(["reset", "change"]) }),
});

export const MfaEnabled = defineEvent({
  type: "MfaEnabled",
  version: 1,
  topic: "auth",
  description: "A user confirmed a TOTP authenticator as their second factor.",
  payload: z.object({ userId: z.string(), factor: z.literal("totp") }),
});

export const MfaDisabled = defineEvent({
  type: "MfaDisabled",
  version: 1,
  topic: "auth",
  description: "A user removed their second factor.",
  payload: z.object({ userId: z.string(), factor: z.literal("totp") }),
});
