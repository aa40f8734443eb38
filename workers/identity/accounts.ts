/**
 * Reads of the users table, and the one place rows become the API's view.
 * Deleted accounts (tombstones) are invisible to every read here.
 */
import { and, asc, eq, isNull } from "drizzle-orm";
import { addresses, users } from "../../db/schema/users.ts";
import type { Queryable } from "../platform/db.ts";

export type UserRow = typeof users.$inferSelect;
export type AddressRow = typeof addresses.$inferSelect;

export async function findActiveUser(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<UserRow | undefined> {
  const query = db
    .select()
    .from(users)
    .where(and(eq(users.id, id), isNull(users.deletedAt)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row;
}

/** By email, case-insensitively (citext). */
export async function findActiveUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.email, email.trim()), isNull(users.deletedAt)));
  return row;
}

export async function listAddresses(db: Queryable, userId: string): Promise<AddressRow[]> {
  return db.select().from(addresses).where(eq(addresses.userId, userId)).orderBy(asc(addresses.id));
}

export function toAddressView(a: AddressRow) {
  return {
    id: a.id,
    label: a.label,
    recipient: a.recipient,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    region: a.region,
    postalCode: a.postalCode,
    country: a.country,
    phone: a.phone,
    isDefaultShipping: a.isDefaultShipping,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}
export type AddressView = ReturnType<typeof toAddressView>;

export function toUserView(u: UserRow, addressRows: AddressRow[]) {
  return {
    id: u.id,
    email: u.email ?? "",
    emailVerified: u.emailVerifiedAt !== null,
    pendingEmail: u.pendingEmail ?? null,
    name: u.name,
    phone: u.phone,
    locale: u.locale,
    role: u.role,
    notificationPreferences: u.notificationPreferences,
    addresses: addressRows.map(toAddressView),
    defaultShippingAddressId: addressRows.find((a) => a.isDefaultShipping)?.id ?? null,
    version: u.version,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}
export type UserView = ReturnType<typeof toUserView>;

export async function loadUserView(db: Queryable, id: string): Promise<UserView | undefined> {
  const user = await findActiveUser(db, id);
  if (!user) return undefined;
  return toUserView(user, await listAddresses(db, id));
}
