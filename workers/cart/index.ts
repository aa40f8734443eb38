/** Cart: one Cart object per cart, live prices and availability, guest carts merged on sign-in. */
import * as cartEvents from "../../queues/contracts/events/cart.ts";
import { contractsIn } from "../platform/events/contracts.ts";
import { defineFamily } from "../platform/family.ts";
import { cartConfig } from "./config.ts";
import { CartErrors } from "./errors.ts";
import { cartRoutes } from "./routes.ts";

export const cart = defineFamily({
  name: "cart",
  config: cartConfig,
  routes: { "/api/cart": cartRoutes },
  contracts: contractsIn(cartEvents),
  errors: CartErrors,
});
