/** Error codes of the cart family (the registry: workers/platform/errors.ts). */
import { defineErrors } from "../platform/errors.ts";

export const CartErrors = defineErrors({
  LINE_NOT_FOUND: { status: 404, title: "Line not found" },
  CART_LINE_LIMIT: { status: 409, title: "Cart line limit" },
  CART_QUANTITY_LIMIT: { status: 409, title: "Cart quantity limit" },
  GUEST_CARTS_UNAVAILABLE: { status: 503, title: "Guest carts unavailable" },
});
