/** What deleting an account removes of the auth data (sessions, tokens, factors, linked identities), in the deletion's transaction. */
import { eq } from "drizzle-orm";
import { externalIdentities, mfaFactors, oneTimeTokens, recoveryCodes } from "../../db/schema/auth.ts";
import type { Queryable } from "../platform/db.ts";
import { revokeUserSessions } from "./sessions.ts";

/** Revokes every session and forgets the account's tokens, second factor and external identities. */
export async function eraseAuthData(tx: Queryable, userId: string): Promise<{ sessionsRevoked: number }> {
  const sessionsRevoked = await revokeUserSessions(tx, userId, "account_deleted");
  await tx.delete(oneTimeTokens).where(eq(oneTimeTokens.userId, userId));
  await tx.delete(mfaFactors).where(eq(mfaFactors.userId, userId));
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.delete(externalIdentities).where(eq(externalIdentities.userId, userId));
  return { sessionsRevoked };
}
