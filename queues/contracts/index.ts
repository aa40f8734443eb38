// Importing this module registers every event contract.

export * from "../../workers/platform/event-contracts.ts";
export * from "../../workers/platform/event-envelope.ts";
export * from "../../workers/platform/event-topics.ts";
export * from "./events/auth.ts";
export * from "./events/cart.ts";
export * from "./events/delivery.ts";
export * from "./events/inventory.ts";
export * from "./events/maintenance.ts";
export * from "./events/notification.ts";
export * from "./events/order.ts";
export * from "./events/payment.ts";
export * from "./events/product.ts";
export * from "./events/review.ts";
export * from "./events/user.ts";
