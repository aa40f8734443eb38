/**
 * Account operations. Each change commits with its
 * events (transactional outbox); personal data stays out of the payloads.
 */
import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { addresses, type NotificationPreferences, users } from "../../db/schema/users.ts";
import { SessionsRevoked } from "../../queues/contracts/events/auth.ts";
import { UserDeleted, UserProfileUpdated, UserRegistered, UserRoleChanged } from "../../queues/contracts/events/user.ts";
import { type EventSink, transactionWithEvents } from "../../queues/outbox/outbox.ts";
import { hasRole } from "../platform/auth.ts";
import type { Principal, Role } from "../platform/context.ts";
import { decodeCursor, keysetPage } from "../platform/cursor.ts";
import type { Queryable } from "../platform/db.ts";
import { ApiError, notFound } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { eventFrom, type Scope } from "../platform/scope.ts";
import { findActiveUser, listAddresses, toUserView, type UserRow, type UserView } from "./accounts.ts";
import { checkNewPassword, hashNewPassword, verifyUserPassword } from "./credentials.ts";
import { requestEmailChange } from "./email-change.ts";
import { eraseAuthData } from "./erasure.ts";
import { IdentityErrors } from "./errors.ts";
import { requestEmailVerification } from "./one-time-tokens.ts";
import { forgetTokenStatus } from "./token-status.ts";
import { type RegisterInput, type UpdateUserInput, UserId } from "./user-schemas.ts";

const DEFAULT_PREFERENCES: NotificationPreferences = {
  orderUpdates: true,
  marketingEmails: false,
  productRecommendations: false,
  sms: false,
};

const emailTaken = () => new ApiError(IdentityErrors.EMAIL_TAKEN, "An account with this email address already exists");

export interface NewAccount {
  email: string;
  name: string;
  passwordHash: string | null;
  emailVerified: boolean;
  phone?: string | null;
  locale?: string;
  notificationPreferences?: Partial<NotificationPreferences>;
  via: "registration" | "sso";
}

/**
 * Creates an account in the caller's transaction, or returns undefined if
 * the email is taken. The unique index decides, so of two racing sign-ups
 * for one address exactly one creates an account.
 */
export async function createAccount(tx: Queryable, events: EventSink, scope: Scope, input: NewAccount): Promise<UserRow | undefined> {
  const [row] = await tx
    .insert(users)
    .values({
      id: newId("usr"),
      email: input.email.trim(),
      name: input.name,
      passwordHash: input.passwordHash,
      emailVerifiedAt: input.emailVerified ? new Date() : null,
      phone: input.phone ?? null,
      locale: input.locale ?? "en",
      notificationPreferences: { ...DEFAULT_PREFERENCES, ...input.notificationPreferences },
    })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!row) return undefined;
  await events.emit(
    UserRegistered,
    eventFrom(scope, "users", row.id, {
      userId: row.id,
      role: row.role,
      locale: row.locale,
      via: input.via,
      emailVerified: input.emailVerified,
    }),
  );
  if (!input.emailVerified) await requestEmailVerification(tx, events, scope, { id: row.id, email: row.email!, locale: row.locale });
  return row;
}

export async function registerUser(scope: Scope, input: RegisterInput): Promise<UserView> {
  // The cheap checks first (the policy, then a taken address), so a refused sign-up costs no hash.
  checkNewPassword(input.password, { email: input.email, name: input.name });
  const [taken] = await scope.db.select({ id: users.id }).from(users).where(eq(users.email, input.email.trim()));
  if (taken) throw emailTaken();
  // Hashing is the slow part: done before the transaction opens, so it stays short.
  const passwordHash = await hashNewPassword(scope.rt, input.password, { email: input.email, name: input.name });
  const row = await transactionWithEvents(
    scope.db,
    async (tx, events) => {
      const created = await createAccount(tx, events, scope, { ...input, passwordHash, emailVerified: false, via: "registration" });
      if (!created) throw emailTaken();
      return created;
    },
    scope.afterCommit,
  );
  return toUserView(row, []);
}

export async function updateUser(scope: Scope, caller: Principal, id: string, input: UpdateUserInput): Promise<UserView> {
  if (input.role !== undefined && !hasRole(caller, "admin"))
    throw new ApiError(IdentityErrors.ROLE_CHANGE_FORBIDDEN, "Only an administrator can change roles");
  return transactionWithEvents(
    scope.db,
    async (tx, events) => {
      const current = await findActiveUser(tx, id, { forUpdate: true });
      if (!current) throw notFound("user");
      const changes: Partial<typeof users.$inferInsert> = {};
      const changed: string[] = [];
      const apply = <K extends "name" | "phone" | "locale" | "notificationPreferences">(field: K, value: UserRow[K] | undefined) => {
        if (value === undefined || JSON.stringify(value) === JSON.stringify(current[field])) return;
        changes[field] = value;
        changed.push(field);
      };
      apply("name", input.name);
      apply("phone", input.phone);
      apply("locale", input.locale);
      apply(
        "notificationPreferences",
        input.notificationPreferences && { ...current.notificationPreferences, ...input.notificationPreferences },
      );
      const emailChanged = input.email !== undefined && input.email.trim().toLowerCase() !== current.email?.toLowerCase();
      // A bearer token alone must not move the account to another address (whose reset mail would then lock the owner out).
      if (emailChanged && caller.id === id && !(input.currentPassword && (await verifyUserPassword(tx, id, input.currentPassword))))
        throw new ApiError(IdentityErrors.REAUTHENTICATION_REQUIRED, "Changing the email needs the account's current password");
      // The new address is only asked to confirm; the account keeps its address until it does (email-change.ts).
      const newEmail = emailChanged ? input.email!.trim() : null;
      if (newEmail) {
        const [clash] = await tx.select({ id: users.id }).from(users).where(eq(users.email, newEmail));
        if (clash) throw emailTaken();
      }
      const roleChanged = input.role !== undefined && input.role !== current.role;
      if (roleChanged) changes.role = input.role as Role;
      if (newEmail) await requestEmailChange(tx, events, scope, { id, email: newEmail, locale: current.locale });
      if (changed.length === 0 && !roleChanged) {
        const fresh = newEmail ? await findActiveUser(tx, id) : current;
        return toUserView(fresh ?? current, await listAddresses(tx, id));
      }

      const [row] = await tx
        .update(users)
        .set({ ...changes, version: sql`${users.version} + 1`, updatedAt: sql`now()` })
        .where(eq(users.id, id))
        .returning();
      if (changed.length > 0)
        await events.emit(UserProfileUpdated, eventFrom(scope, "users", id, { userId: id, changed, version: row!.version }));
      // A role change stops the tokens naming the old role (token-status.ts); a refresh gives the new one.
      if (roleChanged) forgetTokenStatus({ userId: id });
      if (roleChanged)
        await events.emit(
          UserRoleChanged,
          eventFrom(scope, "users", id, { userId: id, from: current.role, to: row!.role, changedBy: caller.id }),
        );
      return toUserView(row!, await listAddresses(tx, id));
    },
    scope.afterCommit,
  ).catch((err: unknown) => {
    // Two accounts racing to the same new address: the unique index refuses the second.
    if ((err as { cause?: { code?: string } }).cause?.code === "23505" || (err as { code?: string }).code === "23505") throw emailTaken();
    throw err;
  });
}

/**
 * Deletes an account: personal data is erased (the row stays as a tombstone
 * so orders and reviews keep a valid id), its addresses removed, and every
 * session revoked, in one transaction with the UserDeleted event.
 */
export async function deleteUser(scope: Scope, caller: Principal, id: string): Promise<void> {
  await transactionWithEvents(
    scope.db,
    async (tx, events) => {
      const current = await findActiveUser(tx, id, { forUpdate: true });
      if (!current) throw notFound("user");
      await tx.delete(addresses).where(eq(addresses.userId, id));
      await tx
        .update(users)
        .set({
          email: null,
          name: "",
          phone: null,
          passwordHash: null,
          emailVerifiedAt: null,
          pendingEmail: null,
          notificationPreferences: DEFAULT_PREFERENCES,
          deletedAt: sql`now()`,
          updatedAt: sql`now()`,
          version: sql`${users.version} + 1`,
        })
        .where(eq(users.id, id));
      const { sessionsRevoked } = await eraseAuthData(tx, id);
      await events.emit(UserDeleted, eventFrom(scope, "users", id, { userId: id, deletedBy: caller.id === id ? "self" : "admin" }));
      if (sessionsRevoked > 0)
        await events.emit(SessionsRevoked, eventFrom(scope, "auth", id, { userId: id, reason: "account_deleted", count: sessionsRevoked }));
    },
    scope.afterCommit,
  );
}

/** Accounts newest first; the cursor's key is the last account's id. */
const USERS_SORT = "users:newest";

export async function listUsers(db: Queryable, query: { limit: number; cursor?: string; role?: Role; email?: string }) {
  const [before] = query.cursor ? decodeCursor(query.cursor, USERS_SORT, [UserId]) : [];
  const rows = await db
    .select()
    .from(users)
    .where(
      and(
        isNull(users.deletedAt),
        query.role ? eq(users.role, query.role) : undefined,
        query.email ? eq(users.email, query.email) : undefined,
        before !== undefined ? lt(users.id, before) : undefined,
      ),
    )
    .orderBy(desc(users.id))
    .limit(query.limit + 1);
  const { page, nextCursor } = keysetPage(rows, query.limit, USERS_SORT, (u) => [u.id]);
  return { items: page.map((u) => toUserView(u, [])), nextCursor };
}

/** Marks the address verified if it is still the account's address; email verification and password reset call it with a used token. */
export async function markEmailVerified(tx: Queryable, userId: string, email: string): Promise<boolean> {
  const rows = await tx
    .update(users)
    .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
    .where(and(eq(users.id, userId), eq(users.email, email), isNull(users.deletedAt)))
    .returning({ id: users.id });
  return rows.length > 0;
}
