/**
 * Notification events (topic `notification`): what the providers reported
 * about messages after they were sent (delivery receipts, bounces,
 * complaints), from their signed webhooks. Ids only; no addresses.
 */
import { z } from "zod";
import { defineEvent } from "../../../workers/platform/event-contracts.ts";

export const NOTIFICATION_CHANNELS = ["email", "sms", "push"] as const;
const Channel = z.enum(NOTIFICATION_CHANNELS);

export const NotificationDelivered = defineEvent({
  type: "NotificationDelivered",
  version: 1,
  topic: "notification",
  description: "A provider confirmed that a message reached the recipient's mailbox or phone.",
  payload: z.object({
    notificationId: z.string(),
    channel: Channel,
    template: z.string(),
    userId: z.string().nullable(),
    provider: z.string(),
  }),
});

export const NotificationBounced = defineEvent({
  type: "NotificationBounced",
  version: 1,
  topic: "notification",
  description:
    "A provider reported a message undeliverable (`bounce`: permanent, the address is suppressed; `soft_bounce`: temporary; `undelivered`: an SMS not delivered) or a complaint (`complaint`: the recipient marked it as spam; the address is suppressed).",
  payload: z.object({
    notificationId: z.string(),
    channel: Channel,
    template: z.string(),
    userId: z.string().nullable(),
    provider: z.string(),
    kind: z.enum(["bounce", "soft_bounce", "complaint", "undelivered"]),
    suppressed: z.boolean(),
  }),
});
