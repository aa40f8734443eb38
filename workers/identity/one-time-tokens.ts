/**
 * Single-use, expiring tokens mailed to users: email verification (24 hours),
 * password reset (30 minutes), an email change's confirmation (24 hours) and
 * its revert (14 days). Only their SHA-256 is stored; using one
 * is a conditional update, so two racing uses cannot both succeed.
 */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { oneTimeTokens } from "../../db/schema/auth.ts";
import { type EmailChangeRequested, EmailVerificationRequested, PasswordResetRequested } from "../../queues/contracts/events/auth.ts";
import type { EventSink } from "../../queues/outbox/outbox.ts";
import type { Queryable } from "../platform/db.ts";
import { eventFrom, type Scope } from "../platform/scope.ts";
import { randomToken, sha256Hex } from "./crypto.ts";

export type TokenPurpose = "verify_email" | "reset_password" | "change_email" | "revert_email";
const HOUR_MS = 60 * 60 * 1000;
export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  verify_email: 24 * HOUR_MS,
  reset_password: 30 * 60 * 1000,
  change_email: 24 * HOUR_MS,
  // The owner of a taken-over account may read the notice days later.
  revert_email: 14 * 24 * HOUR_MS,
};
const PREFIX: Record<TokenPurpose, string> = { verify_email: "ev", reset_password: "pr", change_email: "ec", revert_email: "er" };

export type OneTimeTokenRow = typeof oneTimeTokens.$inferSelect;

export async function issueOneTimeToken(
  tx: Queryable,
  purpose: TokenPurpose,
  user: { id: string; email: string },
  ttlMs = TOKEN_TTL_MS[purpose],
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken(PREFIX[purpose]);
  const expiresAt = new Date(Date.now() + ttlMs);
  await tx.insert(oneTimeTokens).values({ tokenHash: await sha256Hex(token), purpose, userId: user.id, email: user.email, expiresAt });
  return { token, expiresAt };
}

export interface MailTarget {
  id: string;
  email: string;
  locale: string;
}

/** The mail requests that carry a single-use token: each names its address, locale, token and expiry. */
type TokenMail = typeof EmailVerificationRequested | typeof PasswordResetRequested | typeof EmailChangeRequested;

/** Issues a token of `purpose` for `user.email` and asks for its mail, in the caller's transaction. */
export async function mailToken(
  tx: Queryable,
  events: EventSink,
  scope: Scope,
  purpose: TokenPurpose,
  mail: TokenMail,
  user: MailTarget,
): Promise<void> {
  const { token, expiresAt } = await issueOneTimeToken(tx, purpose, user);
  await events.emit(
    mail,
    eventFrom(scope, "auth", user.id, {
      userId: user.id,
      email: user.email,
      locale: user.locale,
      token,
      expiresAt: expiresAt.toISOString(),
    }),
  );
}

/** Issues a verification token and asks for the mail, in the caller's transaction. */
export const requestEmailVerification = (tx: Queryable, events: EventSink, scope: Scope, user: MailTarget) =>
  mailToken(tx, events, scope, "verify_email", EmailVerificationRequested, user);

export const requestPasswordReset = (tx: Queryable, events: EventSink, scope: Scope, user: MailTarget) =>
  mailToken(tx, events, scope, "reset_password", PasswordResetRequested, user);

const usable = (purpose: TokenPurpose, hash: string) =>
  and(
    eq(oneTimeTokens.tokenHash, hash),
    eq(oneTimeTokens.purpose, purpose),
    isNull(oneTimeTokens.usedAt),
    gt(oneTimeTokens.expiresAt, sql`now()`),
  );

/** The token's row if it is unused and unexpired, without using it. */
export async function peekToken(db: Queryable, purpose: TokenPurpose, token: string): Promise<OneTimeTokenRow | undefined> {
  const [row] = await db
    .select()
    .from(oneTimeTokens)
    .where(usable(purpose, await sha256Hex(token)));
  return row;
}

/** Uses the token: its row if it was unused and unexpired (and now is used), else undefined. */
export async function consumeToken(tx: Queryable, purpose: TokenPurpose, token: string): Promise<OneTimeTokenRow | undefined> {
  const [row] = await tx
    .update(oneTimeTokens)
    .set({ usedAt: sql`now()` })
    .where(usable(purpose, await sha256Hex(token)))
    .returning();
  return row;
}

/** Voids every outstanding token of a user (of one purpose, or all). */
export async function voidTokens(tx: Queryable, userId: string, purpose?: TokenPurpose): Promise<void> {
  await tx
    .update(oneTimeTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(oneTimeTokens.userId, userId), isNull(oneTimeTokens.usedAt), purpose ? eq(oneTimeTokens.purpose, purpose) : undefined));
}
