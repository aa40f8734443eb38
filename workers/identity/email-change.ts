/**
 * Moving an account to another email address without letting a stolen
 * access token take the account over:
 *
 * 1. the owner asks (with the current password, see service.ts): the new
 *    address is kept as `pendingEmail` and a single-use link goes to it;
 *    sign-in, resets and mail still use the old address;
 * 2. the link confirms the new address: it becomes the account's (verified),
 *    and the old address gets a notice with a link that undoes the change;
 * 3. that link (14 days) moves the account back to the old address and ends
 *    every session, so whoever made the change is signed out; the owner then
 *    resets the password through the address that is theirs again.
 */
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { users } from "../../db/schema/users.ts";
import { EmailChanged, EmailChangeRequested, SessionsRevoked } from "../../queues/contracts/events/auth.ts";
import { UserEmailVerified, UserProfileUpdated } from "../../queues/contracts/events/user.ts";
import type { EventSink } from "../../queues/outbox/outbox.ts";
import type { Queryable } from "../platform/db.ts";
import { ApiError } from "../platform/errors.ts";
import { eventFrom, type Scope } from "../platform/scope.ts";
import { findActiveUser } from "./accounts.ts";
import { IdentityErrors } from "./errors.ts";
import { consumeToken, issueOneTimeToken, type MailTarget, mailToken, voidTokens } from "./one-time-tokens.ts";
import { revokeUserSessions } from "./sessions.ts";

const emailTaken = () => new ApiError(IdentityErrors.EMAIL_TAKEN, "An account with this email address already exists");

/** `jane.doe@example.com` → `j•••@example.com`: enough for the owner to recognise, not a full address in a notice. */
export function hintOf(email: string): string {
  const at = email.lastIndexOf("@");
  return at <= 0 ? "•••" : `${email[0]}•••${email.slice(at)}`;
}

async function addressInUse(tx: Queryable, email: string, exceptUserId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.email, email), ne(users.id, exceptUserId)));
  return row !== undefined;
}

/** Step 1, inside the profile update's transaction: remembers the address and mails it a confirmation link. */
export async function requestEmailChange(tx: Queryable, events: EventSink, scope: Scope, user: MailTarget): Promise<void> {
  // Only the newest request counts: an older link would confirm an address the owner changed their mind about.
  await voidTokens(tx, user.id, "change_email");
  await tx.update(users).set({ pendingEmail: user.email }).where(eq(users.id, user.id));
  await mailToken(tx, events, scope, "change_email", EmailChangeRequested, user);
}

/** Step 2: the new address proved it receives mail. Undefined when the token is not (or no longer) good. */
export async function confirmEmailChange(
  tx: Queryable,
  events: EventSink,
  scope: Scope,
  token: string,
): Promise<{ userId: string; email: string } | undefined> {
  const used = await consumeToken(tx, "change_email", token);
  if (!used) return undefined;
  const user = await findActiveUser(tx, used.userId, { forUpdate: true });
  // A newer request, or a change already made or undone, leaves this link nothing to do.
  if (!user?.email || user.pendingEmail?.toLowerCase() !== used.email.toLowerCase()) return undefined;
  if (await addressInUse(tx, used.email, user.id)) throw emailTaken();
  const previous = user.email;
  const [row] = await tx
    .update(users)
    .set({ email: used.email, pendingEmail: null, emailVerifiedAt: sql`now()`, version: sql`${users.version} + 1`, updatedAt: sql`now()` })
    .where(eq(users.id, user.id))
    .returning({ version: users.version });
  // Links mailed to the old address (a verification, a reset) no longer fit the account.
  await voidTokens(tx, user.id, "verify_email");
  await voidTokens(tx, user.id, "reset_password");
  const revert = await issueOneTimeToken(tx, "revert_email", { id: user.id, email: previous });
  const s = { ...scope, actor: { type: "user" as const, id: user.id } };
  await events.emit(UserProfileUpdated, eventFrom(s, "users", user.id, { userId: user.id, changed: ["email"], version: row!.version }));
  await events.emit(UserEmailVerified, eventFrom(s, "users", user.id, { userId: user.id }));
  await events.emit(
    EmailChanged,
    eventFrom(s, "auth", user.id, {
      userId: user.id,
      email: previous,
      locale: user.locale,
      newEmailHint: hintOf(used.email),
      token: revert.token,
      expiresAt: revert.expiresAt.toISOString(),
    }),
  );
  return { userId: user.id, email: used.email };
}

/** Step 3: the previous owner takes the address back; every session ends. Undefined when the token is not good. */
export async function revertEmailChange(
  tx: Queryable,
  events: EventSink,
  scope: Scope,
  token: string,
): Promise<{ userId: string; email: string; sessionsEnded: number } | undefined> {
  const used = await consumeToken(tx, "revert_email", token);
  if (!used) return undefined;
  const user = await findActiveUser(tx, used.userId, { forUpdate: true });
  if (!user) return undefined;
  if (await addressInUse(tx, used.email, user.id)) throw emailTaken();
  const [row] = await tx
    .update(users)
    .set({ email: used.email, pendingEmail: null, emailVerifiedAt: sql`now()`, version: sql`${users.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(users.id, user.id), isNull(users.deletedAt)))
    .returning({ version: users.version });
  // Whatever the other party asked for in the meantime is void, and they are signed out everywhere.
  await voidTokens(tx, user.id);
  const count = await revokeUserSessions(tx, user.id, "email_reverted");
  const s = { ...scope, actor: { type: "user" as const, id: user.id } };
  await events.emit(UserProfileUpdated, eventFrom(s, "users", user.id, { userId: user.id, changed: ["email"], version: row!.version }));
  await events.emit(SessionsRevoked, eventFrom(s, "auth", user.id, { userId: user.id, reason: "email_reverted", count }));
  return { userId: user.id, email: used.email, sessionsEnded: count };
}
