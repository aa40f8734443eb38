/**
 * Error codes of the orders family (the registry: workers/platform/errors.ts).
 * They live with the OrderSaga object, which raises them (and stores the
 * answers that carry them); the family lists them through the object's index.
 */
import { defineErrors } from "../../workers/platform/errors.ts";

export const OrderErrors = defineErrors({
  CART_EMPTY: { status: 422, title: "Cart empty" },
  ORDER_HOLD_LAPSED: { status: 409, title: "Order hold lapsed" },
  ORDER_ALREADY_SHIPPED: { status: 409, title: "Order already shipped" },
  ORDER_STATE_CONFLICT: { status: 409, title: "Order state conflict" },
  MIXED_CURRENCIES: { status: 422, title: "Mixed currencies" },
  /** The order comes to more than ORDER_TOTAL_MAX_MINOR (totals.ts). */
  ORDER_TOTAL_TOO_LARGE: { status: 422, title: "Order total too large" },
  /** A confirm found the stock hold lapsed: the order was cancelled. */
  ORDER_EXPIRED: { status: 409, title: "Order expired" },
  /** A confirm of an order that was cancelled for another reason. */
  ORDER_CANCELLED: { status: 409, title: "Order cancelled" },
  /** The run was cut short; the order finishes by itself (its alarm, the recovery job). */
  ORDER_IN_PROGRESS: { status: 503, title: "Order in progress" },
  /** A guest's order link that was genuine but is past its expiry. */
  ORDER_LINK_EXPIRED: { status: 410, title: "Order link expired" },
  /** Guest checkout needs the guest cart of a signed `cart_id` cookie. */
  GUEST_CART_REQUIRED: { status: 422, title: "Guest cart required" },
  /** Production without ORDER_GUEST_LINK_KEY: guest orders could not be found again. */
  GUEST_CHECKOUT_UNAVAILABLE: { status: 503, title: "Guest checkout unavailable" },
});
