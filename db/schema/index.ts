export * from "./events.ts";
export * from "./pipeline.ts";
export * from "./scheduler.ts";
export * from "./ops.ts";
export * from "./catalog.ts";
export * from "./inventory.ts";
export * from "./users.ts";
export * from "./audit.ts";
