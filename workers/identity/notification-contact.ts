/**
 * What the notifications family may read about accounts: how to reach a
 * user and what they agreed to receive. Read-only; deleted accounts are
 * invisible (their addresses are erased anyway).
 */
import { and, asc, eq, gt, inArray, isNull } from "drizzle-orm";
import { type NotificationPreferences, users } from "../../db/schema/users.ts";
import type { Role } from "../platform/context.ts";
import type { Queryable } from "../platform/db.ts";

export interface NotificationContact {
  userId: string;
  name: string;
  email: string | null;
  emailVerified: boolean;
  phone: string | null;
  locale: string;
  role: Role;
  preferences: NotificationPreferences;
}

const columns = {
  userId: users.id,
  name: users.name,
  email: users.email,
  emailVerifiedAt: users.emailVerifiedAt,
  phone: users.phone,
  locale: users.locale,
  role: users.role,
  preferences: users.notificationPreferences,
};

type Row = {
  userId: string;
  name: string;
  email: string | null;
  emailVerifiedAt: Date | null;
  phone: string | null;
  locale: string;
  role: Role;
  preferences: NotificationPreferences;
};
const toContact = ({ emailVerifiedAt, ...r }: Row): NotificationContact => ({ ...r, emailVerified: emailVerifiedAt !== null });

export async function findNotificationContact(db: Queryable, userId: string): Promise<NotificationContact | undefined> {
  const [row] = await db
    .select(columns)
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)));
  return row ? toContact(row) : undefined;
}

/** Active accounts holding one of `roles` (staff alerts), oldest first, a page at a time. */
export async function listNotificationContactsByRole(
  db: Queryable,
  roles: Role[],
  options: { limit: number; after?: string },
): Promise<NotificationContact[]> {
  const rows = await db
    .select(columns)
    .from(users)
    .where(and(inArray(users.role, roles), isNull(users.deletedAt), options.after ? gt(users.id, options.after) : undefined))
    .orderBy(asc(users.id))
    .limit(options.limit);
  return rows.map(toContact);
}
