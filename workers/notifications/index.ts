/** Notifications: templated email, SMS and web push per event and locale, preferences, retries and failover. */
import * as notificationEvents from "../../queues/contracts/events/notification.ts";
import { contractsIn } from "../platform/events/contracts.ts";
import { subscriptionsOf } from "../platform/events/handlers.ts";
import { defineFamily } from "../platform/family.ts";
import { notificationsConfig } from "./config.ts";
import { notificationHandlers } from "./consumer.ts";
import { NotificationErrors } from "./errors.ts";
import { notificationsPrune } from "./prune-job.ts";
import { notificationsRoutes } from "./routes.ts";

export const notifications = defineFamily({
  name: "notifications",
  config: notificationsConfig,
  routes: { "/api/notifications": notificationsRoutes },
  jobs: [notificationsPrune],
  handlers: { notifications: subscriptionsOf(notificationHandlers) },
  contracts: contractsIn(notificationEvents),
  errors: NotificationErrors,
});
