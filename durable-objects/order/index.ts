/**
 * The orders family's object: one OrderSaga per order (the single writer of
 * its order and the driver of its checkout saga), and what the family's
 * routes, handlers and job share with it: the order as stored and as shown,
 * its statuses, and the settings and error codes the object works under.
 */
export { OrderSaga, type CancelInput, type Caller, type ConfirmInput } from "./order-saga.ts";
export type { CreateOrderInput } from "./create-order.ts";
export { ordersConfig } from "./config.ts";
export { OrderErrors } from "./errors.ts";
export type { CancelReason } from "./saga-steps.ts";
export { isSold, ORDER_STATUSES, type OrderStatus } from "./state.ts";
export { loadBundle, loadOrder, type LineRow, type OrderBundle, type OrderRow } from "./store.ts";
export { iso, presentOrder, totalsOf, type Answer, type OrderView } from "./view.ts";
