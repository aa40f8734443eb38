/** Products: the catalogue (categories, brands, tags, products, variants, prices, discounts) and its images. */
import * as productEvents from "../../queues/contracts/events/product.ts";
import { contractsIn } from "../platform/event-contracts.ts";
import { defineFamily } from "../platform/family.ts";
import { productsConfig } from "./config.ts";
import { CatalogErrors } from "./errors.ts";
import { catalogCachePrune } from "./jobs.ts";
import { mediaRoutes, productsRoutes } from "./routes.ts";

export const products = defineFamily({
  name: "products",
  schemas: ["catalog"],
  config: productsConfig,
  routes: { "/api/products": productsRoutes, "/api/media": mediaRoutes },
  jobs: [catalogCachePrune],
  contracts: contractsIn(productEvents),
  errors: CatalogErrors,
});

// What other families use: prices of SKUs (cart, checkout), product snapshots (search, analytics, reviews),
// the rating columns reviews feed, and the catalogue's error codes.
export { CatalogErrors } from "./errors.ts";
export { quoteSkusOrLastKnown } from "./last-good-quotes.ts";
export { quoteSkus, type SkuQuote } from "./quotes.ts";
export { applyRatingSummary } from "./ratings.ts";
export { loadProductSnapshot, loadProductSnapshots } from "./snapshots.ts";
