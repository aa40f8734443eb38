/**
 * Creating an order's shipment by hand (POST /api/delivery/shipments, admins):
 * when it may be offered, and the request built from the order as the
 * checkout saga builds it (durable-objects/order/saga-actions.ts `ship`).
 */
import type { components } from "../api/schema";

type CreateShipmentRequest = components["schemas"]["CreateShipmentRequest"];

export interface ShippableOrder {
  id: string;
  number: string;
  userId: string;
  status: string;
  currency: string;
  lines: { sku: string; productId: string; name: string; quantity: number; unitPriceMinor: number; taxMinor: number }[];
  tax: { included: boolean };
  shippingAddress: CreateShipmentRequest["address"];
  payment: { id: string } | null;
}

/** A confirmed order that has no shipment (its delivery step failed, or staff ship it themselves). */
export function canShipByHand(order: Pick<ShippableOrder, "status">, shipmentCount: number): boolean {
  return order.status === "confirmed" && shipmentCount === 0;
}

/**
 * What one unit cost the customer, tax included: the unit price, plus its
 * share of the line's tax when the tax was added on top (rounded down), as
 * durable-objects/order/totals.ts `unitPaidMinor` (a return refunds this).
 */
export function unitPaidMinor(line: ShippableOrder["lines"][number], taxIncluded: boolean): number {
  return taxIncluded ? line.unitPriceMinor : line.unitPriceMinor + Math.floor(line.taxMinor / line.quantity);
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
      unitPaidMinor: unitPaidMinor(l, order.tax.included),
    })),
    currency: order.currency,
  };
}
