/** Promotions: promotion codes, their rules and limits, the uses orders take and give back, and usage reports. */
import { OrderCancelled } from "../../queues/contracts/events/order.ts";
import { on } from "../platform/event-handlers.ts";
import { defineFamily } from "../platform/family.ts";
import { PromotionErrors } from "./errors.ts";
import { promotionsRoutes } from "./routes.ts";
import { releaseUse } from "./store.ts";

export const promotions = defineFamily({
  name: "promotions",
  schemas: ["promotions"],
  routes: { "/api/promotions": promotionsRoutes },
  handlers: {
    // An order cancelled before anything was charged gives its use of a code back.
    pipeline: [
      on(OrderCancelled, async (event, { tx }) => {
        if (event.payload.refundMinor === 0) await releaseUse(tx, event.payload.orderId);
      }),
    ],
  },
  errors: PromotionErrors,
});

// What other families use: the codes against a cart (cart) and an order (orders), and taking a use in the order's transaction.
export { PromotionErrors } from "./errors.ts";
export { type CodeStatus, cartCodes, checkCustomerLimit, loadCodes, orderCodes, withFacts } from "./evaluate.ts";
export { MAX_CODES_PER_CART } from "./promotion-stacking.ts";
export { redeem } from "./store.ts";
