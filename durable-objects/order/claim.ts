/**
 * Guest orders and their claim. A guest's order is owned by a guest marker
 * (`gst_` and 26 characters derived from the guest cart's id), not an
 * account, and keeps the guest's email. When an account proves it receives
 * mail at that address (a verified email), the order becomes the account's:
 * its owner is set, once, through the order's object like every other write,
 * and the timeline says so. Repeats change nothing.
 */
import { orderTimeline } from "../../db/schema/orders.ts";
import type { Database } from "../../workers/platform/db.ts";
import { loadOrder, patchOrder } from "./store.ts";

export const GUEST_PREFIX = "gst_";

/** Whether an order's owner is a guest marker rather than an account. */
export const isGuestOwner = (userId: string): boolean => userId.startsWith(GUEST_PREFIX);

export interface ClaimInput {
  orderId: string;
  userId: string;
  /** The account's verified address: it must be the guest order's (case-folded). */
  email: string;
}

/** Gives a guest order to the account; false when it is not a guest order of that address (any more). */
export async function claimGuestOrder(db: Database, input: ClaimInput): Promise<boolean> {
  const order = await loadOrder(db, input.orderId);
  if (!order || !isGuestOwner(order.userId) || order.guestEmail?.toLowerCase() !== input.email.trim().toLowerCase()) return false;
  await db.transaction(async (tx) => {
    await patchOrder(tx, order, { userId: input.userId });
    await tx.insert(orderTimeline).values({
      orderId: order.id,
      status: order.status,
      note: "guest order claimed by the account that verified its email",
      actor: input.userId,
    });
  });
  return true;
}
