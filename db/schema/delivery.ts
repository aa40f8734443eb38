/**
 * The delivery family: one shipment per order with its status timeline, the
 * carrier webhook events already applied (deduplication on the carrier's
 * event id), and returns (RMAs) with their lines. Orders, payments and
 * users are referred to by id only (no cross-family keys).
 */
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { money } from "./money.ts";

export const deliverySchema = pgSchema("delivery");

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
export const RETURN_STATUSES = ["initiated", "received", "inspected", "refunded", "rejected"] as const;

/** What a shipment carries, priced as paid, so a return can be refunded line by line. */
export interface ShipmentLineRow {
  sku: string;
  productId: string;
  name: string;
  quantity: number;
  unitPaidMinor: number;
}

/** The destination as validated; personal data that only the owner and staff may read. */
export interface AddressRow {
  name: string;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postalCode: string;
  country: string;
  phone?: string | null;
}

export const shipments = deliverySchema.table(
  "shipments",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    orderNumber: text("order_number").notNull(),
    userId: text("user_id").notNull(),
    paymentId: text("payment_id"),
    carrier: text("carrier").notNull(),
    carrierLabelId: text("carrier_label_id").notNull(),
    trackingNumber: text("tracking_number").notNull(),
    trackingUrl: text("tracking_url"),
    status: text("status", { enum: SHIPMENT_STATUSES }).notNull(),
    /** When the current status was reached (the carrier's time for carrier updates): older updates never move it back. */
    statusAt: timestamp("status_at", { withTimezone: true }).notNull().defaultNow(),
    currency: text("currency").notNull(),
    lines: jsonb("lines").$type<ShipmentLineRow[]>().notNull(),
    address: jsonb("address").$type<AddressRow>().notNull(),
    country: text("country").notNull(),
    estimatedDelivery: date("estimated_delivery"),
    dispatchedAt: timestamp("dispatched_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Exactly one shipment per order: of two racing creations, the index lets one through.
    uniqueIndex("shipments_order_uq").on(t.orderId),
    // Public tracking looks a shipment up by its number alone.
    uniqueIndex("shipments_tracking_uq").on(t.trackingNumber, t.carrier),
    index("shipments_user_idx").on(t.userId, t.id),
    index("shipments_status_idx").on(t.status, t.id),
  ],
);

/** The timeline of a shipment: every status it reached, and carrier scans that arrived late. */
export const shipmentEvents = deliverySchema.table(
  "shipment_events",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    shipmentId: text("shipment_id")
      .notNull()
      .references(() => shipments.id, { onDelete: "cascade" }),
    status: text("status", { enum: SHIPMENT_STATUSES }).notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    note: text("note"),
    /** `system`, `staff` or `carrier`. */
    source: text("source").notNull(),
    /** False for a carrier scan recorded for the history only (older than the current status). */
    applied: boolean("applied").notNull().default(true),
  },
  (t) => [index("shipment_events_shipment_idx").on(t.shipmentId, t.at, t.seq)],
);

/** Carrier webhook events already handled, so a redelivery changes nothing. */
export const carrierEvents = deliverySchema.table(
  "carrier_events",
  {
    carrier: text("carrier").notNull(),
    eventId: text("event_id").notNull(),
    shipmentId: text("shipment_id"),
    /** applied, stale (older than the current status), illegal (a move the table refuses), unknown_shipment. */
    outcome: text("outcome").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.carrier, t.eventId] }), index("carrier_events_received_idx").on(t.receivedAt)],
);

export const returns = deliverySchema.table(
  "returns",
  {
    id: text("id").primaryKey(),
    rmaNumber: text("rma_number").notNull(),
    shipmentId: text("shipment_id")
      .notNull()
      .references(() => shipments.id),
    orderId: text("order_id").notNull(),
    orderNumber: text("order_number").notNull(),
    userId: text("user_id").notNull(),
    status: text("status", { enum: RETURN_STATUSES }).notNull(),
    reason: text("reason").notNull(),
    note: text("note"),
    currency: text("currency").notNull(),
    returnBy: date("return_by").notNull(),
    refundMinor: money("refund_minor"),
    refundId: text("refund_id"),
    inspectionNote: text("inspection_note"),
    receivedAt: timestamp("received_at", { withTimezone: true }),
    inspectedAt: timestamp("inspected_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("returns_rma_uq").on(t.rmaNumber),
    index("returns_shipment_idx").on(t.shipmentId),
    index("returns_user_idx").on(t.userId, t.id),
  ],
);

export const returnLines = deliverySchema.table(
  "return_lines",
  {
    returnId: text("return_id")
      .notNull()
      .references(() => returns.id, { onDelete: "cascade" }),
    sku: text("sku").notNull(),
    productId: text("product_id").notNull(),
    name: text("name").notNull(),
    quantity: integer("quantity").notNull(),
    unitPaidMinor: money("unit_paid_minor").notNull(),
    /** Set by the inspection: how many came back resaleable (restocked and refunded). */
    acceptedQuantity: integer("accepted_quantity"),
  },
  (t) => [
    primaryKey({ columns: [t.returnId, t.sku] }),
    check(
      "return_lines_quantities",
      sql`${t.quantity} > 0 and ${t.unitPaidMinor} >= 0 and (${t.acceptedQuantity} is null or ${t.acceptedQuantity} between 0 and ${t.quantity})`,
    ),
  ],
);
