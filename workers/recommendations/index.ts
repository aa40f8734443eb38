/** Recommendations: co-purchase, content, personal, trending and cart lists from precomputed tables, with A/B experiments. */
import { defineFamily } from "../platform/family.ts";
import { recommendationHandlers } from "./consumers.ts";
import { recommendationsRebuild } from "./rebuild.ts";
import { recommendationsRoutes } from "./routes.ts";

export const recommendations = defineFamily({
  name: "recommendations",
  schemas: ["recommendations"],
  routes: { "/api/recommendations": recommendationsRoutes },
  jobs: [recommendationsRebuild],
  handlers: { recommendations: recommendationHandlers },
});
