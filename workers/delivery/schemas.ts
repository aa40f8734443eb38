/** Request and response schemas of the delivery routes; they also make the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { RETURN_REASONS } from "../../queues/contracts/events/order.ts";
import { cursorParam, listOf, pageOf } from "../platform/http-schemas.ts";
import { ShippingAddressSchema } from "./address.ts";
import { RETURN_STATUS_LIST } from "./returns-rules.ts";
import { SHIPMENT_STATUS_LIST } from "./transitions.ts";

const idOf = (prefix: string, example: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`))
    .openapi({ example });
export const ShipmentId = idOf("shp", "shp_01JB8Y3Z5N7Q2W4E6R8T0Y2V4A");
export const ReturnId = idOf("ret", "ret_01JB8Y3Z5N7Q2W4E6R8T0Y2V4A");
export const ShipmentStatusSchema = z.enum(SHIPMENT_STATUS_LIST as [string, ...string[]]).openapi("ShipmentStatus");

const OrderId = z.string().min(1).max(64).openapi({ example: "ord_01JB8Y3Z5N7Q2W4E6R8T0Y2V4A" });
const Sku = z.string().min(1).max(64);

export const ShipmentLineSchema = z
  .strictObject({
    sku: Sku,
    productId: z.string().min(1).max(64),
    name: z.string().min(1).max(300),
    quantity: z.number().int().positive().max(10_000),
    unitPaidMinor: z.number().int().nonnegative(),
  })
  .openapi("ShipmentLine");

const TimelineEntrySchema = z.object({ status: z.string(), at: z.string(), note: z.string().nullable() });

export const ShipmentSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    orderNumber: z.string(),
    userId: z.string(),
    carrier: z.string(),
    trackingNumber: z.string(),
    trackingUrl: z.string().nullable(),
    status: ShipmentStatusSchema,
    currency: z.string(),
    lines: z.array(ShipmentLineSchema),
    timeline: z.array(TimelineEntrySchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Shipment");

export const ShipmentPageSchema = pageOf("ShipmentPage", ShipmentSchema);

export const PublicTrackingSchema = z
  .object({
    trackingNumber: z.string(),
    carrier: z.string(),
    status: ShipmentStatusSchema,
    estimatedDelivery: z.string().nullable(),
    timeline: z.array(z.object({ status: z.string(), at: z.string() })),
  })
  .openapi("PublicTracking");

export const CreateShipmentBody = z
  .strictObject({
    orderId: OrderId,
    orderNumber: z.string().min(1).max(40),
    userId: z.string().min(1).max(64),
    paymentId: z.string().min(1).max(64).optional(),
    address: ShippingAddressSchema,
    lines: z.array(ShipmentLineSchema).min(1).max(100),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .openapi({ example: "EUR" }),
  })
  .openapi("CreateShipmentRequest");

export const AdvanceShipmentBody = z
  .strictObject({ status: ShipmentStatusSchema, note: z.string().trim().max(500).nullable().optional() })
  .openapi("AdvanceShipmentRequest");

export const ShipmentListQuery = z.object({
  orderId: OrderId.optional(),
  status: ShipmentStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorParam,
});

export const AddressCheckSchema = z
  .object({
    valid: z.boolean(),
    address: ShippingAddressSchema.nullable(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })),
  })
  .openapi("AddressCheck");

export const WebhookResultSchema = z
  .object({
    results: z.array(
      z.object({ eventId: z.string(), outcome: z.enum(["applied", "same", "stale", "illegal", "unknown_shipment", "duplicate"]) }),
    ),
  })
  .openapi("CarrierWebhookResult");

export const CreateReturnBody = z
  .strictObject({
    orderId: OrderId,
    reason: z.enum(RETURN_REASONS),
    note: z.string().trim().max(1000).nullable().optional(),
    lines: z
      .array(z.strictObject({ sku: Sku, quantity: z.number().int().positive().max(10_000) }))
      .min(1)
      .max(100),
  })
  .openapi("CreateReturnRequest");

export const InspectReturnBody = z
  .strictObject({
    lines: z
      .array(z.strictObject({ sku: Sku, acceptedQuantity: z.number().int().nonnegative().max(10_000) }))
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "Accepted units per line, every line of the return once; leave out to accept everything" }),
    note: z.string().trim().max(1000).nullable().optional(),
  })
  .openapi("InspectReturnRequest");

export const ReturnSchema = z
  .object({
    id: z.string(),
    rmaNumber: z.string().openapi({ example: "RMA-8T0Y2U4A7Q" }),
    orderId: z.string(),
    orderNumber: z.string(),
    shipmentId: z.string(),
    userId: z.string(),
    status: z.enum(RETURN_STATUS_LIST),
    reason: z.enum(RETURN_REASONS),
    note: z.string().nullable(),
    currency: z.string(),
    returnBy: z.string().openapi({ description: "Date by which the goods must be sent back" }),
    lines: z.array(
      z.object({
        sku: z.string(),
        productId: z.string(),
        name: z.string(),
        quantity: z.number().int(),
        unitPaidMinor: z.number().int(),
        acceptedQuantity: z.number().int().nullable(),
      }),
    ),
    refundMinor: z.number().int().nullable(),
    refundId: z.string().nullable(),
    inspectionNote: z.string().nullable(),
    receivedAt: z.string().nullable(),
    inspectedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Return");

export const ReturnListQuery = z.object({ orderId: OrderId });
export const ReturnListSchema = listOf("ReturnList", ReturnSchema);
