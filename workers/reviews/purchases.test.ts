/**
 * The verified-purchase mark from order events, delivered to the pipeline
 * consumer group as the relay would: in any order, more than once, and
 * withdrawn when the order is cancelled.
 */
import { describe, expect, it } from "vitest";
import { OrderCancelled, OrderConfirmed, OrderCreated } from "../../queues/contracts/events/order.ts";
import { api } from "../../test/helpers/http.ts";
import { newId } from "../platform/ids.ts";
import { newProduct } from "../products/test-fixtures.ts";
import { deliver, event, eventsAbout, json, type PageBody, postReview, type ReviewBody, shopper } from "./test-fixtures.ts";

const orderNumber = () => `EC-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;

function orderEvents(userId: string, skus: string[]) {
  const orderId = newId("ord");
  const number = orderNumber();
  const created = event(OrderCreated, orderId, {
    orderId,
    orderNumber: number,
    userId,
    lines: skus.map((sku) => ({ sku, productId: "prd_item", name: "Item", quantity: 1, unitPriceMinor: 1000 })),
    subtotalMinor: 1000 * skus.length,
    discountMinor: 0,
    shippingMinor: 0,
    taxMinor: 0,
    totalMinor: 1000 * skus.length,
    currency: "USD",
    shippingCountry: "US",
  });
  const confirmed = event(OrderConfirmed, orderId, {
    orderId,
    orderNumber: number,
    userId,
    totalMinor: 1000 * skus.length,
    currency: "USD",
  });
  const cancelled = event(OrderCancelled, orderId, {
    orderId,
    orderNumber: number,
    userId,
    reason: "customer_request",
    refundMinor: 1000 * skus.length,
    currency: "USD",
  });
  return { created, confirmed, cancelled };
}

const verifiedOf = async (reviewId: string) => (await json<ReviewBody>(await api(`/api/reviews/${reviewId}`), 200)).verifiedPurchase;

describe("verified purchases", () => {
  it("marks a review once the author's order with the product is confirmed, whatever the order of the events", async () => {
    const product = await newProduct({ variants: [{ priceMinor: 1000 }, { priceMinor: 1200 }] });
    const other = await newProduct();
    const buyer = await shopper();
    const review = await postReview(buyer, product.id, 5);
    expect(review.verifiedPurchase).toBe(false);

    // Confirmation first, then creation (and the creation again): the order facts commute.
    const order = orderEvents(buyer.userId, [product.variants[1]!.sku, other.variants[0]!.sku]);
    expect(await deliver("pipeline-events", [order.confirmed])).toEqual({ acked: 1, retried: 0 });
    expect(await verifiedOf(review.id)).toBe(false);
    expect(await deliver("pipeline-events", [order.created, order.created])).toEqual({ acked: 2, retried: 0 });
    expect(await verifiedOf(review.id)).toBe(true);

    // The filter finds it; another customer's review of the same product is not verified by this order.
    const stranger = await postReview(await shopper(), product.id, 3);
    const verified = await json<PageBody>(await api(`/api/reviews?productId=${product.id}&verified=true`, { token: null }), 200);
    expect(verified.items.map((r) => r.id)).toEqual([review.id]);
    expect(await verifiedOf(stranger.id)).toBe(false);

    // A review written after the purchase is verified at once, and its event says so.
    const later = await postReview(buyer, other.id, 4);
    expect(later.verifiedPurchase).toBe(true);
    expect((await eventsAbout<{ verifiedPurchase: boolean }>(later.id, "ReviewCreated"))[0]!.payload.verifiedPurchase).toBe(true);

    // Cancelling the order withdraws the mark.
    await deliver("pipeline-events", [order.cancelled]);
    expect(await verifiedOf(review.id)).toBe(false);
    expect(await verifiedOf(later.id)).toBe(false);
  });

  it("does not mark a review for an order that was created but never confirmed, or for SKUs the catalogue does not know", async () => {
    const product = await newProduct();
    const buyer = await shopper();
    const review = await postReview(buyer, product.id, 4);
    const pending = orderEvents(buyer.userId, [product.variants[0]!.sku]);
    await deliver("pipeline-events", [pending.created]);
    expect(await verifiedOf(review.id)).toBe(false);
    const unknown = orderEvents(buyer.userId, ["NO-SUCH-SKU"]);
    expect(await deliver("pipeline-events", [unknown.created, unknown.confirmed])).toEqual({ acked: 2, retried: 0 });
    expect(await verifiedOf(review.id)).toBe(false);
  });
});
