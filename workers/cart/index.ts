/** Cart: one Cart object per cart, live prices and availability, guest carts merged on sign-in. */
import { cartConfig } from "../../durable-objects/cart/index.ts";
import * as cartEvents from "../../queues/contracts/events/cart.ts";
import { contractsIn } from "../platform/event-contracts.ts";
import { defineFamily } from "../platform/family.ts";
import { CartErrors } from "./errors.ts";
import { cartRoutes } from "./routes.ts";

export const cart = defineFamily({
  name: "cart",
  // The settings live with the Cart object, which enforces them (durable-objects/cart/config.ts).
  config: cartConfig,
  routes: { "/api/cart": cartRoutes },
  contracts: contractsIn(cartEvents),
  errors: CartErrors,
});

// What other families use: the object (the Worker exports it) and a user's cart (checkout reads it).
export { Cart } from "../../durable-objects/cart/index.ts";
// Guest checkout (orders) orders the guest cart of a signed cookie.
export { CART_COOKIE, verifiedGuestCartId } from "./guest-cart-id.ts";
// Cart reminders (notifications) sign the link that restores an abandoned cart.
export { GUEST_GRANT, signRestoreToken } from "./restore-token.ts";
export { guestCart, userCart } from "./session.ts";
