/**
 * The orders family's object: one OrderSaga per order (the single writer of
 * its order and the driver of its checkout saga), and what the family's
 * routes, handlers and job share with it: the order as stored and as shown,
 * its statuses, and the settings and error codes the object works under.
 */

export { GUEST_PREFIX, isGuestOwner } from "./claim.ts";
export { ordersConfig } from "./config.ts";
export { OrderErrors } from "./errors.ts";
export { OrderSaga } from "./order-saga.ts";
export { isSold, ORDER_STATUSES, type OrderStatus } from "./state.ts";
export { type LineRow, loadBundle, loadOrder, type OrderBundle, type OrderRow } from "./store.ts";
export { type Answer, iso, type OrderView, presentOrder, totalsOf } from "./view.ts";
