/**
 * Sessions are refresh-token families. Signing in starts one and hands out
 * its first refresh token; every refresh rotates it (the old token is marked
 * rotated, a new one issued). A rotated token presented again means someone
 * holds a copy: the whole session is revoked, for the thief and the owner.
 * The session row is locked while a token is exchanged, so racing refreshes
 * of one token are serialised and the loser is treated as a reuse.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { refreshTokens, sessions } from "../../db/schema/auth.ts";
import type { Queryable } from "../platform/db.ts";
import { newId } from "../platform/ids.ts";
import { randomToken, sha256Hex } from "./crypto.ts";
import { forgetTokenStatus } from "./token-status.ts";

/** A session ends this long after sign-in, however often it is refreshed. */
export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** A refresh token unused for this long expires (the session goes idle). */
export const REFRESH_IDLE_MS = 14 * 24 * 60 * 60 * 1000;

export type RevokeReason =
  | "logout"
  | "logout_all"
  | "reuse_detected"
  | "password_reset"
  | "password_changed"
  | "account_deleted"
  | "email_reverted";

export interface IssuedRefresh {
  sessionId: string;
  refreshToken: string;
  refreshExpiresAt: Date;
  generation: number;
}

async function issueRefresh(tx: Queryable, sessionId: string, generation: number, sessionExpiresAt: Date): Promise<IssuedRefresh> {
  const refreshToken = randomToken("rt");
  const refreshExpiresAt = new Date(Math.min(Date.now() + REFRESH_IDLE_MS, sessionExpiresAt.getTime()));
  await tx.insert(refreshTokens).values({ tokenHash: await sha256Hex(refreshToken), sessionId, generation, expiresAt: refreshExpiresAt });
  return { sessionId, refreshToken, refreshExpiresAt, generation };
}

export async function startSession(
  tx: Queryable,
  input: { userId: string; method: "password" | "sso"; mfa: boolean },
): Promise<IssuedRefresh> {
  const id = newId("ses");
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
  await tx.insert(sessions).values({ id, userId: input.userId, method: input.method, mfa: input.mfa, expiresAt });
  return issueRefresh(tx, id, 1, expiresAt);
}

export type Rotation =
  | ({ outcome: "rotated"; userId: string } & IssuedRefresh)
  | { outcome: "reused"; userId: string; sessionId: string }
  | { outcome: "invalid" };

/** Exchanges a refresh token for the next one of its family. Run it in a transaction. */
export async function rotateRefreshToken(tx: Queryable, refreshToken: string): Promise<Rotation> {
  const hash = await sha256Hex(refreshToken);
  const [found] = await tx.select({ sessionId: refreshTokens.sessionId }).from(refreshTokens).where(eq(refreshTokens.tokenHash, hash));
  if (!found) return { outcome: "invalid" };
  // Lock the family first, then read the token under the lock: a racing exchange of the same token waits here.
  const [session] = await tx.select().from(sessions).where(eq(sessions.id, found.sessionId)).for("update");
  const [token] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hash));
  if (!session || !token || session.revokedAt || session.expiresAt <= new Date()) return { outcome: "invalid" };
  if (token.rotatedAt) {
    await revokeSession(tx, session.id, "reuse_detected");
    return { outcome: "reused", userId: session.userId, sessionId: session.id };
  }
  if (token.expiresAt <= new Date()) return { outcome: "invalid" };
  await tx.update(refreshTokens).set({ rotatedAt: sql`now()` }).where(eq(refreshTokens.tokenHash, hash));
  await tx.update(sessions).set({ lastUsedAt: sql`now()` }).where(eq(sessions.id, session.id));
  const next = await issueRefresh(tx, session.id, token.generation + 1, session.expiresAt);
  return { outcome: "rotated", userId: session.userId, ...next };
}

export async function revokeSession(tx: Queryable, sessionId: string, reason: RevokeReason): Promise<boolean> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  forgetTokenStatus({ sessionId });
  return rows.length > 0;
}

/** The session a refresh token belongs to, whatever its state. */
export async function sessionOfRefreshToken(
  db: Queryable,
  refreshToken: string,
): Promise<{ sessionId: string; userId: string } | undefined> {
  const [row] = await db
    .select({ sessionId: sessions.id, userId: sessions.userId })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, await sha256Hex(refreshToken)));
  return row;
}

/** Revokes every live session of a user; returns how many. */
export async function revokeUserSessions(tx: Queryable, userId: string, reason: RevokeReason): Promise<number> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  forgetTokenStatus({ userId });
  return rows.length;
}

export async function listActiveSessions(db: Queryable, userId: string) {
  return db
    .select({
      id: sessions.id,
      method: sessions.method,
      mfa: sessions.mfa,
      createdAt: sessions.createdAt,
      lastUsedAt: sessions.lastUsedAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), sql`${sessions.expiresAt} > now()`))
    .orderBy(sql`${sessions.createdAt} desc`)
    .limit(100);
}
