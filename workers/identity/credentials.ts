/**
 * Passwords of accounts: the policy for new ones, sign-in checks, and the
 * upgrade of old hashes at sign-in. The sign-in routes call these; only this
 * family reads or writes `password_hash`.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { users } from "../../db/schema/users.ts";
import type { Database, Queryable } from "../platform/db.ts";
import { ApiError } from "../platform/errors.ts";
import { log } from "../platform/log.ts";
import type { Runtime } from "../platform/runtime.ts";
import { findActiveUserByEmail, type UserRow } from "./accounts.ts";
import { identityConfig } from "./config.ts";
import { IdentityErrors } from "./errors.ts";
import { type HashParams, hashPassword, needsRehash, paramsForTotal, verifyPassword } from "./password.ts";
import { checkPassword, describeProblem, type PasswordContext } from "./password-policy.ts";

export function passwordParams(rt: Pick<Runtime, "vars">): HashParams {
  return paramsForTotal(identityConfig.read(rt).PASSWORD_ITERATIONS);
}

/** Checks a new password against the policy (422 WEAK_PASSWORD naming the field) and hashes it. */
export async function hashNewPassword(
  rt: Pick<Runtime, "vars">,
  password: string,
  context: PasswordContext,
  field = "password",
): Promise<string> {
  checkNewPassword(password, context, field);
  return hashPassword(password, passwordParams(rt));
}

/** Refuses a new password that breaks the policy (422 WEAK_PASSWORD naming the field): cheap, so it runs before any hash. */
export function checkNewPassword(password: string, context: PasswordContext, field = "password"): void {
  const problems = checkPassword(password, context);
  if (problems.length > 0) {
    throw new ApiError(IdentityErrors.WEAK_PASSWORD, "The password does not meet the password policy", {
      errors: problems.map((p) => ({ field, message: describeProblem(p) })),
    });
  }
}

const dummies = new Map<string, Promise<string>>();
/** A hash with the current parameters, so unknown accounts take as long to refuse as wrong passwords. */
function dummyHash(params: HashParams): Promise<string> {
  const key = `${params.iterations}x${params.rounds}`;
  let hash = dummies.get(key);
  if (!hash) {
    hash = hashPassword(crypto.randomUUID(), params);
    dummies.set(key, hash);
  }
  return hash;
}

export type PasswordCheck = { ok: true; user: UserRow } | { ok: false; userId: string | null };

/**
 * Checks an email and password. A hash made with older parameters is
 * replaced by one with the current policy, using the password just proven;
 * the swap is conditional, so a concurrent reset wins. On failure, the id of
 * the account tried (if any) is returned for the audit trail, never to the caller.
 */
export async function authenticateWithPassword(
  db: Database,
  rt: Pick<Runtime, "vars">,
  email: string,
  password: string,
): Promise<PasswordCheck> {
  const params = passwordParams(rt);
  const user = await findActiveUserByEmail(db, email);
  if (!user?.passwordHash) {
    await verifyPassword(password, await dummyHash(params));
    return { ok: false, userId: user?.id ?? null };
  }
  if (!(await verifyPassword(password, user.passwordHash))) return { ok: false, userId: user.id };
  if (needsRehash(user.passwordHash, params)) {
    const upgraded = await hashPassword(password, params);
    const result = await db
      .update(users)
      .set({ passwordHash: upgraded })
      .where(and(eq(users.id, user.id), eq(users.passwordHash, user.passwordHash)))
      .returning({ id: users.id });
    if (result.length > 0) log.info("users.password_rehashed", { userId: user.id, params: `i=${params.iterations},r=${params.rounds}` });
  }
  return { ok: true, user };
}

/** Whether the account can sign in with a password (accounts made through SSO may not have one). */
export async function verifyUserPassword(db: Queryable, userId: string, password: string): Promise<boolean> {
  const [row] = await db
    .select({ hash: users.passwordHash })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)));
  return row?.hash ? verifyPassword(password, row.hash) : false;
}

export async function setPasswordHash(tx: Queryable, userId: string, passwordHash: string): Promise<boolean> {
  const rows = await tx
    .update(users)
    .set({ passwordHash, updatedAt: sql`now()` })
    .where(and(eq(users.id, userId), isNull(users.deletedAt)))
    .returning({ id: users.id });
  return rows.length > 0;
}
