import { describe, expect, it } from "vitest";
import { canShipByHand, type ShippableOrder, shipmentRequestOf } from "./manual-shipment.ts";

const order = (over: Partial<ShippableOrder> = {}): ShippableOrder => ({
  id: "ord_1",
  number: "EC-2026-000001",
  userId: "usr_1",
  status: "confirmed",
  currency: "EUR",
  lines: [
    { sku: "MUG", productId: "prd_1", name: "Mug", quantity: 3, unitPaidMinor: 1233 },
    { sku: "LAMP", productId: "prd_2", name: "Lamp", quantity: 1, unitPaidMinor: 5950 },
  ],
  shippingAddress: { name: "Ada Test", line1: "1 Test Street", city: "Lisbon", postalCode: "1000-001", country: "PT" },
  payment: { id: "pay_1" },
  ...over,
});

describe("a shipment created by hand", () => {
  it("is offered only for a confirmed order with no shipment", () => {
    expect(canShipByHand(order(), 0)).toBe(true);
    expect(canShipByHand(order(), 1)).toBe(false);
    for (const status of ["pending", "confirming", "awaiting_payment", "cancelling", "cancelled", "shipped", "delivered"]) {
      expect([status, canShipByHand(order({ status }), 0)]).toEqual([status, false]);
    }
  });

  it("carries the order's lines at what the order says a unit was paid", () => {
    const body = shipmentRequestOf(order());
    expect(body).toEqual({
      orderId: "ord_1",
      orderNumber: "EC-2026-000001",
      userId: "usr_1",
      paymentId: "pay_1",
      address: order().shippingAddress,
      lines: [
        { sku: "MUG", productId: "prd_1", name: "Mug", quantity: 3, unitPaidMinor: 1233 },
        { sku: "LAMP", productId: "prd_2", name: "Lamp", quantity: 1, unitPaidMinor: 5950 },
      ],
      currency: "EUR",
    });
  });

  it("sends no payment id when there is none", () => {
    const body = shipmentRequestOf(order({ payment: null }));
    expect(body.lines.map((l) => l.unitPaidMinor)).toEqual([1233, 5950]);
    expect("paymentId" in body).toBe(false);
  });
});
