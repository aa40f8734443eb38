// Importing this module registers every event contract.
export * from "./envelope.ts";
export * from "./topics.ts";
export * from "./registry.ts";
export * from "./events/maintenance.ts";
export * from "./events/product.ts";
