/**
 * Restoring a guest's abandoned cart from its reminder link. There is no
 * account to restore into, so the lines go into a guest cart derived from the
 * abandoned cart (restore-token.ts: `guestRestoreTarget`), and the answer
 * hands the guest that cart's signed cookie. The cart records the restore
 * (mergeFrom is idempotent on its source), which makes the link work once: a
 * second use from the same client shows the cart again; from any other client
 * (a forwarded or leaked link) it is refused, and the cart is not handed out.
 */
import { getCookie } from "hono/cookie";
import type { CartCaller } from "../../durable-objects/cart/index.ts";
import { CartRecovered } from "../../queues/contracts/events/cart.ts";
import { transactionWithEvents } from "../../queues/outbox/outbox.ts";
import type { AppContext } from "../platform/context.ts";
import { ApiError } from "../platform/errors.ts";
import { eventFrom, scopeOf } from "../platform/scope.ts";
import { CartErrors } from "./errors.ts";
import { CART_COOKIE, verifiedGuestCartId } from "./guest-cart-id.ts";
import { guestRestoreTarget, type RestoreGrant } from "./restore-token.ts";
import { unwrap } from "./service.ts";
import { type CartSession, guestCart, keepGuestCookie } from "./session.ts";

export async function restoreForGuest(c: AppContext, grant: RestoreGrant) {
  const target = await guestRestoreTarget(c.env, grant.cartId);
  const caller: CartCaller = { userId: null, actor: null, correlationId: c.get("requestId") };
  const session: CartSession = { owner: "guest", stub: guestCart(c.env, target), caller, guestId: target };
  const at = Date.now();
  const lines = grant.lines.map((l) => ({
    sku: l.sku,
    quantity: l.quantity,
    addedUnitPriceMinor: l.unitPriceMinor,
    currency: l.currency,
    addedAt: at,
    updatedAt: at,
  }));
  const result = await session.stub!.mergeFrom({ sourceCartId: `restore:${grant.cartId}`, lines, caller });
  const { snap, available } = unwrap(result);
  if (result.ok && result.replayed && (await verifiedGuestCartId(c.env, getCookie(c, CART_COOKIE))) !== target)
    throw new ApiError(CartErrors.RESTORE_TOKEN_USED, "This restore link was already used");
  await keepGuestCookie(c, session);
  if (result.ok && !result.replayed && snap.cartId) {
    const scope = scopeOf(c);
    // A guest has no user id: the funnel counts the recovery under the abandoned cart's id.
    const payload = {
      cartId: snap.cartId,
      abandonedCartId: grant.cartId,
      userId: grant.cartId,
      itemCount: snap.lines.reduce((n, l) => n + l.quantity, 0),
    };
    await transactionWithEvents(
      scope.db,
      (_tx, events) => events.emit(CartRecovered, eventFrom(scope, "cart", snap.cartId!, payload)),
      scope.afterCommit,
    );
  }
  return { session, snap, available };
}
