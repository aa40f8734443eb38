/** Error codes of the orders family (the registry: workers/platform/errors.ts). */
import { defineErrors } from "../platform/errors.ts";

export const OrderErrors = defineErrors({
  CART_EMPTY: { status: 422, title: "Cart empty" },
  ORDER_HOLD_LAPSED: { status: 409, title: "Order hold lapsed" },
  ORDER_ALREADY_SHIPPED: { status: 409, title: "Order already shipped" },
  ORDER_STATE_CONFLICT: { status: 409, title: "Order state conflict" },
  MIXED_CURRENCIES: { status: 422, title: "Mixed currencies" },
});
