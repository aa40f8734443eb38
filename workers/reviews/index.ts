/** Reviews: one review per user and product, moderation, reports, votes and rating aggregates. */
import { OrderCancelled, OrderConfirmed, OrderCreated } from "../../queues/contracts/events/order.ts";
import * as reviewEvents from "../../queues/contracts/events/review.ts";
import {
  type ProductRatingSummary,
  ReviewCreated,
  ReviewDeleted,
  ReviewModerated,
  ReviewUpdated,
} from "../../queues/contracts/events/review.ts";
import type { Tx } from "../platform/db.ts";
import { contractsIn } from "../platform/event-contracts.ts";
import { on } from "../platform/event-handlers.ts";
import { defineFamily } from "../platform/family.ts";
import { feedCatalogRating, feedSearchRating } from "./consumers.ts";
import { ReviewErrors } from "./errors.ts";
import { recordOrderLines, recordOrderState } from "./purchases.ts";
import { reviewsRoutes } from "./routes.ts";

/** One subscription per review event, each of which carries the product's new rating (`productRating`). */
const onRatingChange = (feed: (tx: Tx, rating: ProductRatingSummary) => Promise<unknown>) => [
  on(ReviewCreated, (event, { tx }) => feed(tx, event.payload.productRating)),
  on(ReviewUpdated, (event, { tx }) => feed(tx, event.payload.productRating)),
  on(ReviewModerated, (event, { tx }) => feed(tx, event.payload.productRating)),
  on(ReviewDeleted, (event, { tx }) => feed(tx, event.payload.productRating)),
];

export const reviews = defineFamily({
  name: "reviews",
  schemas: ["reviews"],
  routes: { "/api/reviews": reviewsRoutes },
  handlers: {
    // The catalogue's rating columns, and the order facts behind the verified-purchase mark.
    pipeline: [
      ...onRatingChange(feedCatalogRating),
      on(OrderCreated, (event, { tx }) =>
        recordOrderLines(tx, { orderId: event.payload.orderId, userId: event.payload.userId, skus: event.payload.lines.map((l) => l.sku) }),
      ),
      on(OrderConfirmed, (event, { tx }) => recordOrderState(tx, event.payload, "confirmed", new Date(event.occurredAt))),
      on(OrderCancelled, (event, { tx }) => recordOrderState(tx, event.payload, "cancelled", new Date(event.occurredAt))),
    ],
    // Product ratings for the search projection's rating facet and sort.
    search: onRatingChange(feedSearchRating),
  },
  contracts: contractsIn(reviewEvents),
  errors: ReviewErrors,
});

// What other families use (the benchmark scripts import the list query directly).
/** The moderation backlog's figures, for the reports family. */
export { moderationBacklog } from "./backlog.ts";
