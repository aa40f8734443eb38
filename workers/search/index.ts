/** Search: the catalogue's search projection, queries, suggestions, facets and reindexing. */
import { InventoryUpdated } from "../../queues/contracts/events/inventory.ts";
import { PriceChanged, ProductCreated, ProductDeleted, ProductUpdated } from "../../queues/contracts/events/product.ts";
import { on } from "../platform/event-handlers.ts";
import { defineFamily } from "../platform/family.ts";
import { searchConfig } from "./config.ts";
import { SearchErrors } from "./errors.ts";
import { applyDeletion, applySnapshot, applyStockLevel, refreshFromCatalog } from "./indexer.ts";
import { searchQueryLogPrune } from "./query-log.ts";
import { searchReindex } from "./reindex.ts";
import { searchRoutes } from "./routes.ts";

export const search = defineFamily({
  name: "search",
  schemas: ["search"],
  routes: { "/api/search": searchRoutes },
  errors: SearchErrors,
  config: searchConfig,
  jobs: [searchReindex, searchQueryLogPrune],
  // Product and inventory events keep the projection up to date, each inside the consumer's transaction
  // (which also records the event as processed). Ratings come from the reviews family, which calls applyRating.
  handlers: {
    search: [
      on(ProductCreated, (event, { tx }) => applySnapshot(tx, event.payload.product)),
      on(ProductUpdated, (event, { tx }) => applySnapshot(tx, event.payload.product)),
      on(ProductDeleted, (event, { tx }) => applyDeletion(tx, event.payload)),
      on(PriceChanged, (event, { tx }) => refreshFromCatalog(tx, event.payload.productId, event.payload.version)),
      on(InventoryUpdated, (event, { tx }) => applyStockLevel(tx, event.payload)),
    ],
  },
});

// What other families use: the reviews family feeds product ratings into the projection.
export { applyRating } from "./indexer.ts";
