/**
 * The order state machine (pure). An order is created `pending` with its
 * stock reserved; confirming runs the checkout saga (`confirming`), which
 * may wait for the provider to settle the payment (`awaiting_payment`) and
 * ends `confirmed` (paid, stock sold, shipment created) or, through
 * `cancelling` (compensations running), `cancelled`. A confirmed order is
 * `shipped` when its shipment leaves and `delivered` (completed) when it
 * arrives. Anything else is refused with 409 ORDER_STATE_CONFLICT.
 */
import { ORDER_STATUSES } from "../../db/schema/orders.ts";
import { ApiError } from "../../workers/platform/errors.ts";
import { OrderErrors } from "./errors.ts";

export { ORDER_STATUSES };
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ["confirming", "cancelling"],
  confirming: ["awaiting_payment", "confirmed", "cancelling"],
  // Settled by the provider: the saga goes on with capture, commit and shipment.
  awaiting_payment: ["confirming", "cancelling"],
  confirmed: ["shipped", "cancelling"],
  shipped: ["delivered"],
  delivered: [],
  cancelling: ["cancelled"],
  cancelled: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The error for a move the machine does not allow, naming both ends. */
export function stateConflict(from: OrderStatus, to: OrderStatus): ApiError {
  return new ApiError(OrderErrors.ORDER_STATE_CONFLICT, `An order that is ${from} cannot become ${to}`, { from, to });
}

/** Returns `to` when the move is allowed; throws 409 ORDER_STATE_CONFLICT otherwise. */
export function transition(from: OrderStatus, to: OrderStatus): OrderStatus {
  if (!canTransition(from, to)) throw stateConflict(from, to);
  return to;
}

/** No further status: nothing will happen to the order any more. */
export const isFinal = (s: OrderStatus): boolean => TRANSITIONS[s].length === 0;

/** Statuses in which the saga is not running: the order rests until a customer, a provider or a carrier moves it. */
export const isResting = (s: OrderStatus): boolean =>
  s === "pending" || s === "awaiting_payment" || s === "confirmed" || s === "shipped" || isFinal(s);

/** Money was taken and goods will be (or were) sent: the statuses the checkout invariants count as sold. */
export const isSold = (s: OrderStatus): boolean => s === "confirmed" || s === "shipped" || s === "delivered";

/** The statuses a customer may still cancel from (a confirmed order only while its shipment has not left). */
export const isCancellable = (s: OrderStatus): boolean => canTransition(s, "cancelling");
