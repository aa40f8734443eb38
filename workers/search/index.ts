/** Search: the catalogue's search projection, queries, suggestions, facets and reindexing. */
import { defineFamily } from "../platform/family.ts";
import { subscriptionsOf } from "../platform/events/handlers.ts";
import { searchHandlers } from "./handlers.ts";
import { searchQueryLogPrune } from "./query-log.ts";
import { searchReindex } from "./reindex.ts";
import { searchRoutes } from "./routes.ts";

export const search = defineFamily({
  name: "search",
  routes: { "/api/search": searchRoutes },
  jobs: [searchReindex, searchQueryLogPrune],
  handlers: { search: subscriptionsOf(searchHandlers) },
});
