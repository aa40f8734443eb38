/**
 * Creating an order's shipment by hand (POST /api/delivery/shipments, admins):
 * when it may be offered, and the request built from the order as the
 * checkout saga builds it (durable-objects/order/saga-actions.ts `ship`). What
 * a unit cost the customer comes from the order itself (`unitPaidMinor`), so
 * the console never recomputes a price the server decided.
 */
import type { components } from "../api/schema";

type CreateShipmentRequest = components["schemas"]["CreateShipmentRequest"];

export interface ShippableOrder {
  id: string;
  number: string;
  userId: string;
  status: string;
  currency: string;
  lines: { sku: string; productId: string; name: string; quantity: number; unitPaidMinor: number }[];
  shippingAddress: CreateShipmentRequest["address"];
  payment: { id: string } | null;
}

/** A confirmed order that has no shipment (its delivery step failed, or staff ship it themselves). */
export function canShipByHand(order: Pick<ShippableOrder, "status">, shipmentCount: number): boolean {
  return order.status === "confirmed" && shipmentCount === 0;
}

export function shipmentRequestOf(order: ShippableOrder): CreateShipmentRequest {
  return {
    orderId: order.id,
    orderNumber: order.number,
    userId: order.userId,
    ...(order.payment ? { paymentId: order.payment.id } : {}),
    address: order.shippingAddress,
    lines: order.lines.map((l) => ({
      sku: l.sku,
      productId: l.productId,
      name: l.name,
      quantity: l.quantity,
      unitPaidMinor: l.unitPaidMinor,
    })),
    currency: order.currency,
  };
}
