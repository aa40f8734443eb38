/**
 * The seed's customer-facing messages, end to end: real checkouts through
 * the API (orders, payments, delivery) emit their events, and the
 * notifications consumer turns each into exactly one message on the
 * customer's channel. Nothing here constructs an event by hand.
 */
import { describe, expect, it } from "vitest";
import { cancel, confirm, json, order, type Problem, settle, shipment, shopper, stocked } from "../../test/checkout/fixtures.ts";
import { api, eventually } from "../../test/helpers/http.ts";
import type { OrderView } from "../orders/index.ts";
import { captured, eventuallyCaptured } from "./test-fixtures.ts";

/** Mail subjects received so far by an address, sorted, to compare whole sets. */
async function subjects(email: string): Promise<string[]> {
  return (await captured(email, "email")).map((m) => m.subject ?? "").sort();
}

async function advance(shipmentId: string, status: string): Promise<void> {
  const res = await api(`/api/delivery/shipments/${shipmentId}/status`, { method: "POST", json: { status } });
  expect(res.status).toBe(200);
}

describe("checkout messages", () => {
  it("a completed checkout, its delivery and a return send one mail for each step", async () => {
    const user = await shopper();
    const {
      skus: [sku],
    } = await stocked([1999], 10);
    const placed = await order(user.accessToken, [{ sku: sku!, quantity: 2 }]);
    const n = placed.number;
    await eventuallyCaptured(user.email, new RegExp(`We received your order ${n}`));

    expect((await confirm(user.accessToken, placed.id)).status).toBe(200);
    await eventuallyCaptured(user.email, new RegExp(`Your order ${n} is confirmed`));

    const s = await shipment(placed.id);
    expect(s?.status).toBe("label_created");
    await advance(s!.id, "dispatched");
    await eventuallyCaptured(user.email, new RegExp(`Your order ${n} is on its way`));
    await advance(s!.id, "delivered");
    await eventuallyCaptured(user.email, new RegExp(`Your order ${n} was delivered`));

    const ret = await api("/api/delivery/returns", {
      method: "POST",
      token: user.accessToken,
      json: { orderId: placed.id, reason: "no_longer_needed", lines: [{ sku, quantity: 1 }] },
    });
    expect(ret.status).toBe(201);
    const { id: returnId } = (await ret.json()) as { id: string };
    await eventuallyCaptured(user.email, new RegExp(`Your return for order ${n}`));
    expect((await api(`/api/delivery/returns/${returnId}/receive`, { method: "POST" })).status).toBe(200);
    expect(
      (await api(`/api/delivery/returns/${returnId}/inspect`, { method: "POST", json: { lines: [{ sku, acceptedQuantity: 1 }] } })).status,
    ).toBe(200);
    await eventuallyCaptured(user.email, new RegExp(`Refund of .* for order ${n}`));

    // Every step of the journey mailed once (OrderCompleted, which the delivery also caused, sends nothing of its own).
    const journey = (await subjects(user.email)).filter((subject) => subject.includes(n));
    expect(journey).toHaveLength(6);
    for (const pattern of [
      "We received your order",
      "is confirmed",
      "is on its way",
      "was delivered",
      "Your return for order",
      "Refund of",
    ]) {
      expect(
        journey.filter((subject) => subject.includes(pattern)),
        pattern,
      ).toHaveLength(1);
    }
  });

  it("a declined card sends the payment failure and the cancellation, once each", async () => {
    const user = await shopper();
    const {
      skus: [sku],
    } = await stocked([2500], 5);
    const placed = await order(user.accessToken, [{ sku: sku!, quantity: 1 }]);
    const declined = await json<Problem>(await confirm(user.accessToken, placed.id, "pm_card_declined"), 402);
    expect(declined.code).toBe("PAYMENT_DECLINED");
    const n = placed.number;
    await eventuallyCaptured(user.email, new RegExp(`Payment for order ${n} failed`));
    await eventuallyCaptured(user.email, new RegExp(`Your order ${n} was cancelled`));
    const mine = (await subjects(user.email)).filter((s) => s.includes(n));
    expect(mine).toEqual([`Payment for order ${n} failed`, `We received your order ${n}`, `Your order ${n} was cancelled`]);

    // The same events are in the order's audit timeline, in the order they happened.
    const timeline = await eventually(
      async () => {
        const page = (await (await api(`/api/audit/entities/order/${placed.id}`)).json()) as { items: { type: string }[] };
        return page.items.length >= 2 ? page.items.map((e) => e.type) : undefined;
      },
      15_000,
      "the order's audit timeline",
    );
    expect(timeline).toEqual(["OrderCreated", "OrderCancelled"]);
  });

  it("a cancellation after payment sends the cancellation and the refund, once each", async () => {
    const user = await shopper();
    const {
      skus: [sku],
    } = await stocked([4200], 5);
    const placed = await order(user.accessToken, [{ sku: sku!, quantity: 1 }]);
    expect((await confirm(user.accessToken, placed.id)).status).toBe(200);
    const cancelled = await json<OrderView>(await cancel(user.accessToken, placed.id), 200);
    expect(await settle(cancelled.id)).toBe("cancelled");
    const n = placed.number;
    await eventuallyCaptured(user.email, new RegExp(`Your order ${n} was cancelled`));
    await eventuallyCaptured(user.email, new RegExp(`Refund of .* for order ${n}`));
    const mine = (await subjects(user.email)).filter((s) => s.includes(n));
    expect(mine).toHaveLength(4);
    expect(mine).toEqual(
      expect.arrayContaining([`We received your order ${n}`, `Your order ${n} is confirmed`, `Your order ${n} was cancelled`]),
    );
  });
});
