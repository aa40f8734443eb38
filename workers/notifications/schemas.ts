/** HTTP schemas of the notifications routes (they also make its part of the OpenAPI document). */
import { z } from "@hono/zod-openapi";
import { DELIVERY_STATUSES } from "../../db/schema/notifications.ts";
import { CATEGORIES, CHANNELS, TEMPLATE_IDS } from "./templates/catalog.ts";

export const Channel = z.enum(CHANNELS);
export const DeliveryId = z.string().regex(/^ntf_[0-9A-Z]{26}$/);
export const TemplateIdSchema = z.enum(TEMPLATE_IDS);

export const DeliverySchema = z
  .object({
    id: z.string(),
    channel: Channel,
    template: z.string(),
    category: z.string(),
    sourceType: z.string().openapi({ description: "The event type that caused the message, or `AdminSend`" }),
    sourceId: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    skipReason: z.string().nullable(),
    subject: z.string().nullable(),
    recipient: z.string().nullable().openapi({ description: "The address, masked" }),
    locale: z.string(),
    attempts: z.number().int(),
    provider: z.string().nullable(),
    providerMessageId: z.string().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi("Notification");

export const SendBody = z
  .object({
    userId: z.string().min(1),
    template: TemplateIdSchema,
    data: z
      .record(z.string(), z.unknown())
      .default({})
      .openapi({ description: "The template's data (GET /api/notifications/templates lists the fields)" }),
    channels: z.array(Channel).min(1).optional().openapi({ description: "Only these of the template's channels" }),
    category: z.enum(CATEGORIES).optional().openapi({ description: "Required for the `message` template: decides how preferences apply" }),
    locale: z.string().min(2).max(20).optional().openapi({ description: "Instead of the user's locale" }),
  })
  .strict()
  .openapi("NotificationSendRequest");

export const SendResultSchema = z
  .object({
    sendId: z.string(),
    status: z.enum(["sent", "partial", "failed", "skipped"]),
    messages: z.array(
      z.object({
        id: z.string(),
        channel: Channel,
        status: z.string(),
        skipReason: z.string().nullable(),
        provider: z.string().nullable(),
        error: z.string().nullable(),
        duplicate: z.boolean(),
      }),
    ),
  })
  .openapi("NotificationSendResult");

export const PushSubscriptionBody = z
  .strictObject({
    endpoint: z.url().max(2000),
    expirationTime: z.number().nullable().optional(),
    keys: z.strictObject({ p256dh: z.string().min(80).max(100), auth: z.string().min(16).max(30) }),
  })
  .openapi("PushSubscriptionRequest", { description: "The JSON of the browser's PushSubscription (subscription.toJSON())" });

export const PushSubscriptionSchema = z
  .object({
    id: z.string(),
    endpointHost: z.string(),
    userAgent: z.string().nullable(),
    createdAt: z.string(),
    lastSuccessAt: z.string().nullable(),
  })
  .openapi("PushSubscription");

export const CapturedSchema = z
  .object({
    id: z.string(),
    provider: z.string(),
    channel: Channel,
    deliveryId: z.string(),
    idempotencyKey: z.string().openapi({ description: "The key the message was sent with: a provider sends one key once" }),
    userId: z.string().nullable(),
    recipient: z.string(),
    subject: z.string().nullable(),
    text: z.string(),
    html: z.string().nullable(),
    data: z.unknown(),
    createdAt: z.string(),
  })
  .openapi("CapturedMessage");

export const TemplateInfoSchema = z
  .object({
    id: z.string(),
    description: z.string(),
    category: z.string().nullable(),
    channels: z.array(Channel),
    locales: z.array(z.string()),
    data: z.unknown().openapi({ description: "JSON Schema of the data" }),
  })
  .openapi("NotificationTemplate");

export const WebhookResultSchema = z
  .object({ recorded: z.number().int(), duplicates: z.number().int(), matched: z.number().int() })
  .openapi("WebhookResult");
