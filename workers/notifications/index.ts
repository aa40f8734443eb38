/** Notifications: templated email, SMS and web push per event and locale, preferences, retries and failover. */
import {
  EmailChanged,
  EmailChangeRequested,
  EmailVerificationRequested,
  PasswordChanged,
  PasswordResetRequested,
} from "../../queues/contracts/events/auth.ts";
import { DeliveryCompleted, ShipmentDispatched } from "../../queues/contracts/events/delivery.ts";
import { LowStockAlert } from "../../queues/contracts/events/inventory.ts";
import * as notificationEvents from "../../queues/contracts/events/notification.ts";
import { OrderCancelled, OrderConfirmed, OrderCreated, ReturnInitiated } from "../../queues/contracts/events/order.ts";
import { PaymentFailed, RefundIssued } from "../../queues/contracts/events/payment.ts";
import { ReviewFlagged } from "../../queues/contracts/events/review.ts";
import { UserDeleted, UserRegistered } from "../../queues/contracts/events/user.ts";
import { contractsIn } from "../platform/event-contracts.ts";
import { on } from "../platform/event-handlers.ts";
import { defineFamily } from "../platform/family.ts";
import { remindOfAbandonedCart } from "./cart-reminders.ts";
import { notificationsConfig } from "./config.ts";
import { eraseUserData, notifyOn } from "./consumer.ts";
import { NotificationErrors } from "./errors.ts";
import { notifyCustomerOn } from "./guest-orders.ts";
import { notificationsPrune } from "./prune-job.ts";
import { notificationsRoutes } from "./routes.ts";
import { MODERATOR_ROLES, STOCK_ALERT_ROLES, toAddress, toRoles, toUser } from "./rules.ts";

export const notifications = defineFamily({
  name: "notifications",
  schemas: ["notifications"],
  config: notificationsConfig,
  routes: { "/api/notifications": notificationsRoutes },
  jobs: [notificationsPrune],
  handlers: {
    notifications: [
      // Which events produce which messages, to whom (an order's customer: the account, or a guest's address).
      notifyOn(UserRegistered, toUser("welcome")),
      notifyOn(EmailVerificationRequested, toAddress("email-verification")),
      notifyOn(PasswordResetRequested, toAddress("password-reset")),
      notifyOn(EmailChangeRequested, toAddress("email-change")),
      notifyOn(EmailChanged, toAddress("email-changed")),
      notifyOn(PasswordChanged, toUser("password-changed")),
      notifyCustomerOn(OrderCreated, "order-created"),
      notifyCustomerOn(OrderConfirmed, "order-confirmed", { attachInvoice: true }),
      notifyCustomerOn(OrderCancelled, "order-cancelled"),
      notifyCustomerOn(PaymentFailed, "payment-failed"),
      notifyCustomerOn(RefundIssued, "refund-issued"),
      notifyCustomerOn(ShipmentDispatched, "shipment-dispatched"),
      notifyCustomerOn(DeliveryCompleted, "delivery-completed"),
      notifyCustomerOn(ReturnInitiated, "return-initiated"),
      notifyOn(ReviewFlagged, toRoles("review-flagged", MODERATOR_ROLES)),
      notifyOn(LowStockAlert, toRoles("low-stock", STOCK_ALERT_ROLES)),
      remindOfAbandonedCart,
      on(UserDeleted, (event, { tx }) => eraseUserData(tx, event.payload.userId)),
    ],
  },
  contracts: contractsIn(notificationEvents),
  errors: NotificationErrors,
});

/** Sends a templated message to one user now (the reports family's deliveries to subscribers); the same send id sends nothing twice. */
export { adminSend as sendToUser, sendIdFor } from "./admin-send.ts";
/** Sends an alert to the operations channel (the monitoring family's SLO breaches and recoveries), once per alert id. */
export { sendOpsAlert } from "./ops-alerts.ts";
export type { EmailAttachment } from "./providers/types.ts";
