/**
 * The routing table from topics to consumer groups. Each group has exactly
 * one Cloudflare Queue (a queue has one consumer) and its own dead-letter
 * queue; the fan-out publisher sends each event to every group whose topics
 * include the event's topic.
 */
import { TOPICS, type Topic } from "../workers/platform/event-topics.ts";

export interface ConsumerGroup {
  name: string;
  queue: string;
  /** The binding of the group's queue. */
  producer: string;
  deadLetterQueue: string;
  deadLetterProducer: string;
  topics: readonly Topic[];
}

const BUSINESS_TOPICS = TOPICS.filter((t) => t !== "maintenance");

export const CONSUMER_GROUPS = [
  {
    name: "notifications",
    queue: "notifications-events",
    producer: "Q_NOTIFICATIONS",
    deadLetterQueue: "notifications-events-dlq",
    deadLetterProducer: "DLQ_NOTIFICATIONS",
    topics: ["user", "auth", "order", "payment", "delivery", "review", "inventory", "cart"],
  },
  {
    name: "audit",
    queue: "audit-events",
    producer: "Q_AUDIT",
    deadLetterQueue: "audit-events-dlq",
    deadLetterProducer: "DLQ_AUDIT",
    topics: TOPICS,
  },
  {
    name: "pipeline",
    queue: "pipeline-events",
    producer: "Q_PIPELINE",
    deadLetterQueue: "pipeline-events-dlq",
    deadLetterProducer: "DLQ_PIPELINE",
    topics: [...BUSINESS_TOPICS, "maintenance"],
  },
  {
    name: "search",
    queue: "search-events",
    producer: "Q_SEARCH",
    deadLetterQueue: "search-events-dlq",
    deadLetterProducer: "DLQ_SEARCH",
    topics: ["product", "inventory", "review"],
  },
  {
    name: "inventory-projection",
    queue: "inventory-projection-events",
    producer: "Q_INVENTORY_PROJECTION",
    deadLetterQueue: "inventory-projection-events-dlq",
    deadLetterProducer: "DLQ_INVENTORY_PROJECTION",
    topics: ["inventory"],
  },
  {
    // Orders follow payment settlement and delivery progress (and verified accounts, which claim guest orders);
    // delivery follows confirmations and cancellations.
    name: "fulfilment",
    queue: "fulfilment-events",
    producer: "Q_FULFILMENT",
    deadLetterQueue: "fulfilment-events-dlq",
    deadLetterProducer: "DLQ_FULFILMENT",
    topics: ["order", "payment", "delivery", "user"],
  },
  {
    // Recommendations learn from views, cart adds, orders and reviews, and follow the catalogue and its stock.
    name: "recommendations",
    queue: "recommendations-events",
    producer: "Q_RECOMMENDATIONS",
    deadLetterQueue: "recommendations-events-dlq",
    deadLetterProducer: "DLQ_RECOMMENDATIONS",
    topics: ["product", "inventory", "cart", "order", "review"],
  },
] as const satisfies readonly ConsumerGroup[];

export function groupsForTopic(topic: Topic): ConsumerGroup[] {
  return CONSUMER_GROUPS.filter((g) => (g.topics as readonly Topic[]).includes(topic));
}

export function groupByQueue(queue: string): ConsumerGroup | undefined {
  return CONSUMER_GROUPS.find((g) => g.queue === queue);
}

export function groupByDeadLetterQueue(queue: string): ConsumerGroup | undefined {
  return CONSUMER_GROUPS.find((g) => g.deadLetterQueue === queue);
}
