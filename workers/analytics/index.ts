/** Analytics: sales, funnel, cohorts, customers and stock-outs from the pipeline's facts, for admins and analysts. */
import { defineFamily } from "../platform/family.ts";
import { analyticsProductSync } from "./product-sync.ts";
import { analyticsRoutes } from "./routes.ts";

export const analytics = defineFamily({
  name: "analytics",
  routes: { "/api/analytics": analyticsRoutes },
  jobs: [analyticsProductSync],
});
