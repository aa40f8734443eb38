/** Error codes of the cart family (the registry: workers/platform/errors.ts). */
import { defineErrors } from "../platform/errors.ts";

export const CartErrors = defineErrors({
  LINE_NOT_FOUND: { status: 404, title: "Line not found" },
  CART_LINE_LIMIT: { status: 409, title: "Cart line limit" },
  CART_QUANTITY_LIMIT: { status: 409, title: "Cart quantity limit" },
  RESTORE_TOKEN_INVALID: { status: 422, title: "Restore token invalid" },
  RESTORE_TOKEN_EXPIRED: { status: 422, title: "Restore token expired" },
  RESTORE_TOKEN_NOT_FOUND: { status: 404, title: "Restore token not found" },
  /** A guest's restore link works once (from the client it restored into, it shows that cart again). */
  RESTORE_TOKEN_USED: { status: 409, title: "Restore link already used" },
  /** More codes than a cart holds (the promotions family's limit). */
  PROMOTION_CODE_LIMIT: { status: 409, title: "Cart promotion code limit" },
  PROMOTION_NOT_ON_CART: { status: 404, title: "Promotion code not on the cart" },
  GUEST_CARTS_UNAVAILABLE: { status: 503, title: "Guest carts unavailable" },
});
