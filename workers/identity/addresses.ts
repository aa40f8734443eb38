/**
 * A user's address book. The user row is locked for every change, so the
 * limit and the single default shipping address hold under concurrent edits
 * (a partial unique index backs the latter as well).
 */
import { and, count, eq, sql } from "drizzle-orm";
import { addresses, users } from "../../db/schema/users.ts";
import { UserProfileUpdated } from "../../queues/contracts/events/user.ts";
import { type EventSink, transactionWithEvents } from "../../queues/outbox/outbox.ts";
import type { Tx } from "../platform/db.ts";
import { ApiError, notFound } from "../platform/errors.ts";
import { newId } from "../platform/ids.ts";
import { eventFrom, type Scope } from "../platform/scope.ts";
import { type AddressView, findActiveUser, toAddressView } from "./accounts.ts";
import { IdentityErrors } from "./errors.ts";
import type { AddressInput, AddressPatch } from "./user-schemas.ts";

export const MAX_ADDRESSES = 20;

async function withUserLocked<T>(scope: Scope, userId: string, fn: (tx: Tx, events: EventSink) => Promise<T>): Promise<T> {
  return transactionWithEvents(
    scope.db,
    async (tx, events) => {
      if (!(await findActiveUser(tx, userId, { forUpdate: true }))) throw notFound("user");
      const result = await fn(tx, events);
      const [row] = await tx
        .update(users)
        .set({ version: sql`${users.version} + 1`, updatedAt: sql`now()` })
        .where(eq(users.id, userId))
        .returning({ version: users.version });
      await events.emit(UserProfileUpdated, eventFrom(scope, "users", userId, { userId, changed: ["addresses"], version: row!.version }));
      return result;
    },
    scope.afterCommit,
  );
}

async function clearDefault(tx: Tx, userId: string): Promise<void> {
  await tx
    .update(addresses)
    .set({ isDefaultShipping: false })
    .where(and(eq(addresses.userId, userId), eq(addresses.isDefaultShipping, true)));
}

export async function addAddress(scope: Scope, userId: string, input: AddressInput): Promise<AddressView> {
  return withUserLocked(scope, userId, async (tx) => {
    const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(addresses).where(eq(addresses.userId, userId));
    if (n >= MAX_ADDRESSES) throw new ApiError(IdentityErrors.ADDRESS_LIMIT, `An account holds at most ${MAX_ADDRESSES} addresses`);
    // The first address is the default shipping address unless the caller says otherwise.
    const makeDefault = input.isDefaultShipping ?? n === 0;
    if (makeDefault) await clearDefault(tx, userId);
    const [row] = await tx
      .insert(addresses)
      .values({
        ...input,
        id: newId("adr"),
        userId,
        label: input.label ?? null,
        line2: input.line2 ?? null,
        region: input.region ?? null,
        phone: input.phone ?? null,
        isDefaultShipping: makeDefault,
      })
      .returning();
    return toAddressView(row!);
  });
}

export async function updateAddress(scope: Scope, userId: string, addressId: string, patch: AddressPatch): Promise<AddressView> {
  return withUserLocked(scope, userId, async (tx) => {
    if (patch.isDefaultShipping) await clearDefault(tx, userId);
    const [row] = await tx
      .update(addresses)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(addresses.id, addressId), eq(addresses.userId, userId)))
      .returning();
    if (!row) throw notFound("address");
    return toAddressView(row);
  });
}

export async function removeAddress(scope: Scope, userId: string, addressId: string): Promise<void> {
  await withUserLocked(scope, userId, async (tx) => {
    const [row] = await tx
      .delete(addresses)
      .where(and(eq(addresses.id, addressId), eq(addresses.userId, userId)))
      .returning();
    if (!row) throw notFound("address");
  });
}
