/**
 * Delivery events (topic `delivery`), defined ahead of the delivery family.
 * The carrier's tracking URL, when given, must be https: it ends up as a
 * link in customer messages.
 */
import { z } from "zod";
import { defineEvent } from "../../../workers/platform/event-contracts.ts";
import { orderNumber } from "./commerce-fields.ts";

export const ShipmentCreated = defineEvent({
  type: "ShipmentCreated",
  version: 1,
  topic: "delivery",
  description: "A shipment (with a carrier label and tracking number) was created for a confirmed order.",
  payload: z.object({
    shipmentId: z.string(),
    orderId: z.string(),
    orderNumber,
    userId: z.string(),
    carrier: z.string().min(1).max(60),
    trackingNumber: z.string().min(1).max(80),
    trackingUrl: z.url({ protocol: /^https$/ }).nullable(),
    /** ISO 3166-1 alpha-2 of the destination: enough for delivery figures, not an address. */
    country: z.string().regex(/^[A-Z]{2}$/),
  }),
});

export const ShipmentDispatched = defineEvent({
  type: "ShipmentDispatched",
  version: 1,
  topic: "delivery",
  description: "A shipment of an order left the warehouse with a carrier.",
  payload: z.object({
    shipmentId: z.string(),
    orderId: z.string(),
    orderNumber,
    userId: z.string(),
    carrier: z.string().min(1).max(60),
    trackingNumber: z.string().min(1).max(80),
    trackingUrl: z.url({ protocol: /^https$/ }).nullable(),
    estimatedDelivery: z.iso.date().nullable(),
  }),
});

export const DeliveryCompleted = defineEvent({
  type: "DeliveryCompleted",
  version: 1,
  topic: "delivery",
  description: "The carrier reported a shipment delivered.",
  payload: z.object({
    shipmentId: z.string(),
    orderId: z.string(),
    orderNumber,
    userId: z.string(),
    deliveredAt: z.iso.datetime({ offset: true }),
  }),
});

export const SHIPMENT_STATUSES = [
  "label_created",
  "dispatched",
  "in_transit",
  "out_for_delivery",
  "delivered",
  "failed_attempt",
  "returned",
  "cancelled",
] as const;

export const ShipmentStatusChanged = defineEvent({
  type: "ShipmentStatusChanged",
  version: 1,
  topic: "delivery",
  description:
    "A shipment moved to a new status (every move, including those ShipmentDispatched and DeliveryCompleted announce, and a halt before dispatch).",
  payload: z.object({
    shipmentId: z.string(),
    orderId: z.string(),
    orderNumber,
    userId: z.string(),
    from: z.enum(SHIPMENT_STATUSES),
    to: z.enum(SHIPMENT_STATUSES),
    at: z.iso.datetime({ offset: true }),
    /** Who reported it: the carrier's webhook, staff, or the system (a halt). */
    source: z.enum(["carrier", "staff", "system"]),
  }),
});
