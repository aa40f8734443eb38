/** The topics of the domain: the seed's Kafka topics, plus the scheduler's maintenance events. */
export const TOPICS = [
  "user",
  "auth",
  "product",
  "inventory",
  "cart",
  "order",
  "payment",
  "delivery",
  "review",
  "notification",
  "maintenance",
] as const;
export type Topic = (typeof TOPICS)[number];
