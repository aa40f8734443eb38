/** Payments: providers, one payment record per attempt, captures, voids, refunds and signed webhooks. */
import * as paymentEvents from "../../queues/contracts/events/payment.ts";
import { contractsIn } from "../platform/event-contracts.ts";
import { defineFamily } from "../platform/family.ts";
import { paymentsConfig } from "./config.ts";
import { PaymentErrors } from "./errors.ts";
import { paymentsRoutes } from "./routes.ts";

export const payments = defineFamily({
  name: "payments",
  schemas: ["payments"],
  config: paymentsConfig,
  routes: { "/api/payments": paymentsRoutes },
  contracts: contractsIn(paymentEvents),
  errors: PaymentErrors,
});

// What other families (orders, delivery) and the checkout tests use: the service, its view, and the codes to match on.
export { PaymentErrors } from "./errors.ts";
export { assertPaymentsAdmitted } from "./guarded-provider.ts";
export {
  AFTER_PROVIDER,
  authorizePayment,
  capturePayment,
  getPayment,
  type PaymentView,
  paymentsForOrder,
  refundPayment,
  voidPayment,
} from "./service.ts";
