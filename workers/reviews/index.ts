/** Reviews: one review per user and product, moderation, reports, votes and rating aggregates. */
import * as reviewEvents from "../../queues/contracts/events/review.ts";
import { contractsIn } from "../platform/events/contracts.ts";
import { subscriptionsOf } from "../platform/events/handlers.ts";
import { defineFamily } from "../platform/family.ts";
import { reviewPipelineHandlers, reviewSearchHandlers } from "./consumers.ts";
import { ReviewErrors } from "./errors.ts";
import { reviewsRoutes } from "./routes.ts";

export const reviews = defineFamily({
  name: "reviews",
  routes: { "/api/reviews": reviewsRoutes },
  // The catalogue's rating columns and the order facts behind the verified-purchase mark (pipeline group);
  // product ratings for the rating facet and sort (search group).
  handlers: { pipeline: subscriptionsOf(reviewPipelineHandlers), search: subscriptionsOf(reviewSearchHandlers) },
  contracts: contractsIn(reviewEvents),
  errors: ReviewErrors,
});
