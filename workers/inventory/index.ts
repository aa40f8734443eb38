/** Inventory: stock and holds per SKU (the Inventory and Reservation objects), the ledger and the stock projection. */
import * as inventoryEvents from "../../queues/contracts/events/inventory.ts";
import { contractsIn } from "../platform/event-contracts.ts";
import { on } from "../platform/event-handlers.ts";
import { defineFamily } from "../platform/family.ts";
import { inventoryBootstrap } from "./bootstrap.ts";
import { InventoryErrors } from "./errors.ts";
import { projectStockLevel } from "./projection.ts";
import { inventoryRoutes } from "./routes.ts";

export const inventory = defineFamily({
  name: "inventory",
  schemas: ["inventory"],
  routes: { "/api/inventory": inventoryRoutes },
  jobs: [inventoryBootstrap],
  handlers: { "inventory-projection": [on(inventoryEvents.InventoryUpdated, (event, { tx }) => projectStockLevel(tx, event))] },
  contracts: contractsIn(inventoryEvents),
  errors: InventoryErrors,
});

// What other families use: the objects (the Worker exports them), the service, the projection's reads, the error codes.
export { Inventory, Reservation } from "../../durable-objects/inventory/index.ts";
export { InventoryErrors } from "./errors.ts";
export {
  commitReservation,
  extendReservation,
  getAvailability,
  getReservation,
  receiveReturn,
  releaseReservation,
  reserveStock,
} from "./service.ts";
export { skuInStock } from "./stock-filters.ts";
export { getStockLevels } from "./stock-projection.ts";
