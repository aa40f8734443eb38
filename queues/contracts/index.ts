// Importing this module registers every event contract.
export * from "../../workers/platform/events/envelope.ts";
export * from "../../workers/platform/events/topics.ts";
export * from "../../workers/platform/events/contracts.ts";
export * from "./events/maintenance.ts";
export * from "./events/product.ts";
export * from "./events/user.ts";
export * from "./events/auth.ts";
export * from "./events/inventory.ts";
export * from "./events/cart.ts";
export * from "./events/order.ts";
export * from "./events/payment.ts";
export * from "./events/delivery.ts";
export * from "./events/review.ts";
export * from "./events/notification.ts";
