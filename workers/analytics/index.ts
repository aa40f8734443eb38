/** Analytics: sales, funnel, cohorts, customers and stock-outs from the pipeline's facts, for admins and analysts. */
import { defineFamily } from "../platform/family.ts";
import { analyticsProductSync } from "./product-sync.ts";
import { analyticsRoutes } from "./routes.ts";

export const analytics = defineFamily({
  name: "analytics",
  schemas: ["analytics"],
  routes: { "/api/analytics": analyticsRoutes },
  jobs: [analyticsProductSync],
});

/** The facts analytics keeps, for the pipeline to load (the composition root hands them over). */
export { analyticsFactLoaders } from "./facts/index.ts";

/** The queries behind the business reports (a period in, figures out), for the reports family. */
export { cohortReport } from "./queries/cohorts.ts";
export { customersReport } from "./queries/customers.ts";
export { inventoryReport } from "./queries/inventory.ts";
export { salesReport } from "./queries/sales.ts";
