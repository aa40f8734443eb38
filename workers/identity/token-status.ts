/**
 * The revocation check behind every access token. A signature proves who
 * signed a token, not that its session still stands: logout, logout-all, a
 * password reset or change, a role change and an account's deletion must
 * stop the tokens already handed out within seconds, not when they expire.
 *
 * Each request with a token asks one question of the database, in one round
 * trip: is the token's session live, and does its account still exist with the
 * role the token names? The answer is kept in the isolate for a few seconds
 * (REVOCATION_CHECK_TTL_MS), so a busy client costs one query per bound, and a
 * revocation in this isolate forgets its entries at once; elsewhere it takes
 * effect within the bound. While the database is unavailable the last answer
 * stands (or, without one, the signature alone), so a database outage does not
 * sign every shopper out: the token still expires in 15 minutes.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { sessions } from "../../db/schema/auth.ts";
import { users } from "../../db/schema/users.ts";
import type { Role } from "../platform/context.ts";
import type { Queryable } from "../platform/db.ts";
import { isDatabaseUnavailable } from "../platform/db-errors.ts";
import { log } from "../platform/log.ts";

interface SessionStatus {
  userId: string;
  /** The account's role now; null when the session is revoked or expired, or the account deleted. */
  role: Role | null;
  checkedAt: number;
}

/** Entries kept per isolate; the oldest goes first beyond it. */
const MAX_ENTRIES = 10_000;
/** After the database failed, how long requests rely on what is known instead of asking again. */
const UNAVAILABLE_BACKOFF_MS = 5_000;

const statuses = new Map<string, SessionStatus>();
let unavailableUntil = 0;

async function readStatus(db: Queryable, sessionId: string): Promise<SessionStatus | null> {
  const [row] = await db
    .select({ userId: sessions.userId, role: users.role })
    .from(sessions)
    .leftJoin(users, and(eq(users.id, sessions.userId), isNull(users.deletedAt)))
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt), sql`${sessions.expiresAt} > now()`));
  return row ? { userId: row.userId, role: row.role ?? null, checkedAt: Date.now() } : null;
}

function remember(sessionId: string, status: SessionStatus): void {
  statuses.delete(sessionId);
  statuses.set(sessionId, status);
  if (statuses.size > MAX_ENTRIES) statuses.delete(statuses.keys().next().value!);
}

const stands = (status: SessionStatus | undefined, claims: TokenFacts) =>
  status !== undefined && status.userId === claims.userId && status.role !== null && claims.roles.includes(status.role);

export interface TokenFacts {
  userId: string;
  sessionId: string;
  roles: readonly Role[];
}

/** Whether a token with a valid signature still stands: its session live, its account there, its role current. */
export async function tokenStands(db: Queryable, claims: TokenFacts, ttlMs: number): Promise<boolean> {
  const now = Date.now();
  const known = statuses.get(claims.sessionId);
  if (known && now - known.checkedAt < ttlMs) return stands(known, claims);
  if (now < unavailableUntil) return known ? stands(known, claims) : true;
  try {
    const status = (await readStatus(db, claims.sessionId)) ?? { userId: claims.userId, role: null, checkedAt: now };
    remember(claims.sessionId, status);
    return stands(status, claims);
  } catch (err) {
    if (!isDatabaseUnavailable(err)) throw err;
    unavailableUntil = Date.now() + UNAVAILABLE_BACKOFF_MS;
    log.warn("auth.revocation_check_unavailable", { sessionId: claims.sessionId, known: known !== undefined });
    return known ? stands(known, claims) : true;
  }
}

/** Forgets what this isolate knows of a session, or of every session of a user: the next request asks again. */
export function forgetTokenStatus(target: { sessionId?: string; userId?: string }): void {
  if (target.sessionId) statuses.delete(target.sessionId);
  if (target.userId) for (const [id, s] of statuses) if (s.userId === target.userId) statuses.delete(id);
}

/**
 * Forgets every answer this isolate keeps: after a restore brings sessions
 * back, a session that was missing a moment ago may stand again.
 */
export function forgetEveryTokenStatus(): void {
  statuses.clear();
  unavailableUntil = 0;
}
