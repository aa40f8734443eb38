/** The delivery family's public types (re-exported by service.ts; index.ts exports what other families use). */
export interface ShipmentLine {
  sku: string;
  productId: string;
  name: string;
  quantity: number;
  unitPaidMinor: number;
}

export type ShipmentStatus =
  | "label_created"
  | "dispatched"
  | "in_transit"
  | "out_for_delivery"
  | "delivered"
  | "failed_attempt"
  | "returned"
  | "cancelled";

export interface TimelineEntry {
  status: string;
  at: string;
  note: string | null;
}

export interface ShipmentView {
  id: string;
  orderId: string;
  orderNumber: string;
  userId: string;
  carrier: string;
  trackingNumber: string;
  trackingUrl: string | null;
  status: ShipmentStatus;
  currency: string;
  lines: ShipmentLine[];
  timeline: TimelineEntry[];
  createdAt: string;
  updatedAt: string;
}
