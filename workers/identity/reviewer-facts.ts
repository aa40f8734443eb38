/**
 * What the reviews family may read about accounts: since when an account
 * exists (new accounts' reviews are moderated first) and the name shown
 * under its reviews, which is the first name and the initial of the last
 * ("Ada L."), never the full name or the address. Read-only; deleted
 * accounts are left out.
 */
import { and, inArray, isNull } from "drizzle-orm";
import { users } from "../../db/schema/users.ts";
import type { Queryable } from "../platform/db.ts";

export interface ReviewerFacts {
  userId: string;
  memberSince: Date;
  /** Null when the account has no name to show. */
  displayName: string | null;
}

/** "Ada Lovelace" → "Ada L.", "Plato" → "Plato", "" → null. */
export function publicDisplayName(name: string): string | null {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return null;
  const first = parts[0]!.slice(0, 40);
  if (parts.length === 1) return first;
  const initial = [...parts[parts.length - 1]!][0]!.toLocaleUpperCase();
  return `${first} ${initial}.`;
}

export async function findReviewerFacts(db: Queryable, userIds: string[]): Promise<Map<string, ReviewerFacts>> {
  const facts = new Map<string, ReviewerFacts>();
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return facts;
  const rows = await db
    .select({ userId: users.id, createdAt: users.createdAt, name: users.name })
    .from(users)
    .where(and(inArray(users.id, ids), isNull(users.deletedAt)));
  for (const r of rows) facts.set(r.userId, { userId: r.userId, memberSince: r.createdAt, displayName: publicDisplayName(r.name) });
  return facts;
}
