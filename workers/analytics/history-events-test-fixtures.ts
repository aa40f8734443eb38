/** The events of a test history (history-test-fixtures.ts), as the producing families would emit them. */
import type { z } from "zod";
import { CartAbandoned, ItemAddedToCart } from "../../queues/contracts/events/cart.ts";
import { LowStockAlert, OutOfStock } from "../../queues/contracts/events/inventory.ts";
import { OrderCancelled, OrderConfirmed, OrderCreated } from "../../queues/contracts/events/order.ts";
import { RefundIssued } from "../../queues/contracts/events/payment.ts";
import { ProductCreated, type ProductSnapshot, ProductViewed } from "../../queues/contracts/events/product.ts";
import { UserRegistered } from "../../queues/contracts/events/user.ts";
import { buildEvent, type EventContract } from "../platform/event-contracts.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import { newId } from "../platform/ids.ts";
import { DAY, type Order, type Product, subtotal, total, type World } from "./history-test-fixtures.ts";

const ev = <S extends z.ZodType>(
  contract: EventContract<string, S>,
  subjectId: string,
  payload: z.input<S>,
  occurredAt: Date,
  actor: string | null = null,
): Envelope =>
  buildEvent(contract, {
    subjectId,
    payload,
    source: "test",
    correlationId: `req_${subjectId}`,
    occurredAt,
    actor: actor ? { type: "user", id: actor } : null,
  }) as Envelope;

function snapshot(p: Product, at: Date): ProductSnapshot {
  return {
    productId: p.id,
    slug: p.slug,
    name: p.name,
    description: "Soft, sturdy, write to sales@shop.example or call +44 20 7946 0958",
    status: "active",
    brand: p.brandId ? { id: p.brandId, slug: p.brandId.toLowerCase(), name: p.brandName! } : null,
    category: { id: p.categoryId, slug: p.categoryId.toLowerCase(), name: p.categoryName, path: p.categoryId.toLowerCase() },
    tags: [],
    imageUrl: null,
    variants: p.skus.map((sku) => ({
      variantId: newId("var"),
      sku,
      options: {},
      priceMinor: p.price,
      compareAtMinor: null,
      currency: "USD",
    })),
    version: 1,
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
  };
}

/** Every event of the history. */
export function events(w: World): Envelope[] {
  const out: Envelope[] = [];
  const number = (o: Order) => `EC-${o.createdAt.getUTCFullYear()}-${o.orderId.slice(-6)}`;
  for (const p of w.products) out.push(ev(ProductCreated, p.id, { product: snapshot(p, w.start) }, new Date(w.start.getTime() - DAY)));
  for (const c of w.customers)
    out.push(
      ev(
        UserRegistered,
        c.userId,
        { userId: c.userId, role: "customer", locale: "en", via: "registration", emailVerified: false },
        c.signedUpAt,
        c.userId,
      ),
    );
  for (const v of w.views)
    out.push(ev(ProductViewed, v.productRef, { productRef: v.productRef, userId: v.userId, sampleRate: 1 }, v.at, v.userId));
  for (const a of w.cartAdds)
    out.push(
      ev(
        ItemAddedToCart,
        a.cartId,
        {
          cartId: a.cartId,
          sku: a.sku,
          quantity: a.quantity,
          lineQuantity: a.quantity,
          unitPriceMinor: a.price,
          currency: w.currency,
          via: "add",
        },
        a.at,
        a.userId,
      ),
    );
  for (const a of w.abandoned) {
    const lines = w.cartAdds
      .filter((c) => c.cartId === a.cartId)
      .map((c) => ({ sku: c.sku, quantity: c.quantity, unitPriceMinor: c.price, currency: w.currency }));
    out.push(
      ev(
        CartAbandoned,
        a.cartId,
        {
          cartId: a.cartId,
          userId: a.userId,
          lines,
          itemCount: lines.reduce((n, l) => n + l.quantity, 0),
          lastActivityAt: a.at.toISOString(),
          idleSeconds: 3600,
        },
        a.at,
      ),
    );
  }
  for (const o of w.orders) {
    const ref = { orderId: o.orderId, orderNumber: number(o), userId: o.userId, currency: o.currency };
    out.push(
      ev(
        OrderCreated,
        o.orderId,
        {
          ...ref,
          lines: o.lines.map((l) => ({ ...l, name: `Line of ${l.sku}` })),
          subtotalMinor: subtotal(o),
          discountMinor: o.discount,
          shippingMinor: o.shipping,
          taxMinor: o.tax,
          totalMinor: total(o),
          shippingCountry: o.country,
        },
        o.createdAt,
        o.userId,
      ),
    );
    if (o.confirmedAt) out.push(ev(OrderConfirmed, o.orderId, { ...ref, totalMinor: total(o) }, o.confirmedAt));
    if (o.cancelledAt)
      out.push(
        ev(OrderCancelled, o.orderId, { ...ref, reason: "customer_request", refundMinor: o.confirmedAt ? total(o) : 0 }, o.cancelledAt),
      );
    for (const r of o.refunds)
      out.push(
        ev(
          RefundIssued,
          o.orderId,
          {
            ...ref,
            refundId: newId("rfd"),
            paymentId: newId("pay"),
            amountMinor: r.amount,
            reason: o.cancelledAt ? "order_cancelled" : "goodwill",
          },
          r.at,
        ),
      );
  }
  for (const s of w.stock) {
    out.push(
      s.kind === "low"
        ? ev(LowStockAlert, s.sku, { sku: s.sku, available: 2, onHand: 2, lowStockThreshold: 5, version: 2 }, s.at)
        : ev(OutOfStock, s.sku, { sku: s.sku, onHand: 0, reserved: 0, version: 3 }, s.at),
    );
  }
  return out;
}
