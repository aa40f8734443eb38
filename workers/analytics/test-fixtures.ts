/**
 * A fixed, seeded shop history for the analytics tests: products, customers
 * signing up over six weeks, views, cart adds, orders (some confirmed, some
 * cancelled, some refunded, one in another currency) and stock crossings.
 * It lives in its own six weeks of a past year and its own currency, so the
 * metrics of one fixture never see another test's facts (the database is
 * shared). `events()` turns it into the contracts' events; expected-test-fixtures.ts
 * computes the metrics from the history itself, independently of SQL.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import type { z } from "zod";
import { CartAbandoned, ItemAddedToCart } from "../../queues/contracts/events/cart.ts";
import { LowStockAlert, OutOfStock } from "../../queues/contracts/events/inventory.ts";
import { OrderCancelled, OrderConfirmed, OrderCreated } from "../../queues/contracts/events/order.ts";
import { RefundIssued } from "../../queues/contracts/events/payment.ts";
import { ProductCreated, type ProductSnapshot, ProductViewed } from "../../queues/contracts/events/product.ts";
import { UserRegistered } from "../../queues/contracts/events/user.ts";
import { testBindings } from "../../test/helpers/db.ts";
import worker from "../index.ts";
import { buildEvent, type EventContract } from "../platform/event-contracts.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import { newId } from "../platform/ids.ts";

export const DAY = 86_400_000;

/** mulberry32: the same seed gives the same history. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const letters = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => String.fromCharCode(65 + (b % 26))).join("");
/** A currency code no other test uses. */
export const uniqueCurrency = () => `Q${letters(2)}`;

export interface Product {
  id: string;
  slug: string;
  name: string;
  categoryId: string;
  categoryName: string;
  brandId: string | null;
  brandName: string | null;
  skus: string[];
  price: number;
}
export interface Customer {
  userId: string;
  signedUpAt: Date;
}
export interface Line {
  productId: string;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}
export interface Order {
  orderId: string;
  userId: string;
  currency: string;
  country: string;
  lines: Line[];
  shipping: number;
  tax: number;
  discount: number;
  createdAt: Date;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  refunds: { amount: number; at: Date }[];
}
export interface World {
  currency: string;
  other: string;
  start: Date;
  weeks: number;
  products: Product[];
  customers: Customer[];
  views: { userId: string | null; productRef: string; at: Date }[];
  cartAdds: { userId: string | null; cartId: string; sku: string; quantity: number; price: number; at: Date }[];
  abandoned: { userId: string | null; cartId: string; at: Date }[];
  orders: Order[];
  stock: { sku: string; kind: "low" | "out"; at: Date }[];
}

export const subtotal = (o: Order) => o.lines.reduce((n, l) => n + l.quantity * l.unitPriceMinor, 0);
export const total = (o: Order) => subtotal(o) - o.discount + o.shipping + o.tax;

/** A Monday at midnight UTC in `year`, chosen at random so a rerun against the same database gets fresh weeks. */
export function randomMonday(fromYear: number, toYear: number): Date {
  const lo = Date.UTC(fromYear, 0, 1);
  const d = new Date(lo + Math.floor(Math.random() * (Date.UTC(toYear, 0, 1) - lo)));
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day;
}

export function buildWorld(seed: number, start: Date, currency = uniqueCurrency()): World {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const weeks = 6;
  const at = (fromDay: number, toDay: number) => new Date(start.getTime() + (fromDay + rnd() * (toDay - fromDay)) * DAY);
  const tag = letters(6);
  const cats = [
    { id: newId("cat"), name: `Shoes ${tag}` },
    { id: newId("cat"), name: `Hats ${tag}` },
  ];
  const brands = [{ id: newId("brd"), name: `Acme ${tag}` }, null];
  const products: Product[] = Array.from({ length: 4 }, (_, i) => {
    const id = newId("prd");
    return {
      id,
      slug: `item-${tag.toLowerCase()}-${i}`,
      name: `Item ${i} ${tag}`,
      categoryId: cats[i % 2]!.id,
      categoryName: cats[i % 2]!.name,
      brandId: brands[i % 2]?.id ?? null,
      brandName: brands[i % 2]?.name ?? null,
      skus: [`SKU-${tag}-${i}A`, `SKU-${tag}-${i}B`],
      price: 1000 + 250 * i,
    };
  });
  const customers: Customer[] = Array.from({ length: 14 }, () => ({ userId: newId("usr"), signedUpAt: at(0, 7 * weeks - 10) }));
  let other = uniqueCurrency();
  while (other === currency) other = uniqueCurrency();
  const w: World = { currency, other, start, weeks, products, customers, views: [], cartAdds: [], abandoned: [], orders: [], stock: [] };
  for (const c of customers) {
    const first = (c.signedUpAt.getTime() - start.getTime()) / DAY;
    const visits = 1 + Math.floor(rnd() * 3);
    for (let v = 0; v < visits; v++) {
      const day = first + rnd() * (7 * weeks - first - 1);
      const product = pick(products);
      w.views.push({ userId: c.userId, productRef: rnd() < 0.5 ? product.id : product.slug, at: at(day, day + 0.1) });
      if (rnd() < 0.3) continue; // looked, left
      const sku = pick(product.skus);
      const quantity = 1 + Math.floor(rnd() * 3);
      w.cartAdds.push({ userId: c.userId, cartId: newId("crt"), sku, quantity, price: product.price, at: at(day + 0.1, day + 0.2) });
      if (rnd() < 0.25) continue; // added, never checked out
      const lines = [{ productId: product.id, sku, quantity, unitPriceMinor: product.price }];
      if (rnd() < 0.4) {
        const extra = pick(products);
        if (extra.id !== product.id) lines.push({ productId: extra.id, sku: extra.skus[0]!, quantity: 1, unitPriceMinor: extra.price });
      }
      const createdAt = at(day + 0.2, day + 0.3);
      const fate = rnd();
      const confirmedAt = fate < 0.15 ? null : new Date(createdAt.getTime() + 600_000);
      const cancelledAt = fate < 0.15 ? new Date(createdAt.getTime() + 900_000) : fate > 0.85 ? at(day + 1, day + 3) : null;
      const order: Order = {
        orderId: newId("ord"),
        userId: c.userId,
        currency,
        country: pick(["DE", "FR", "US"]),
        lines,
        shipping: 499,
        tax: Math.round(subtotal({ lines } as Order) * 0.1),
        discount: rnd() < 0.3 ? 200 : 0,
        createdAt,
        confirmedAt,
        cancelledAt,
        refunds: [],
      };
      if (confirmedAt && cancelledAt) order.refunds.push({ amount: total(order), at: new Date(cancelledAt.getTime() + 60_000) });
      else if (confirmedAt && rnd() < 0.2) order.refunds.push({ amount: 300, at: new Date(confirmedAt.getTime() + 2 * DAY) });
      w.orders.push(order);
    }
  }
  // Anonymous browsing and a guest cart, abandoned; two orders in another currency (never in this currency's figures).
  for (let i = 0; i < 5; i++) w.views.push({ userId: null, productRef: pick(products).id, at: at(0, 7 * weeks) });
  const guestCart = newId("crt");
  w.cartAdds.push({ userId: null, cartId: guestCart, sku: products[0]!.skus[0]!, quantity: 2, price: products[0]!.price, at: at(3, 4) });
  w.abandoned.push({ userId: null, cartId: guestCart, at: at(10, 11) });
  for (const c of customers.slice(0, 2)) {
    const createdAt = at(20, 21);
    w.orders.push({
      orderId: newId("ord"),
      userId: c.userId,
      currency: w.other,
      country: "GB",
      lines: [{ productId: products[1]!.id, sku: products[1]!.skus[0]!, quantity: 1, unitPriceMinor: 999 }],
      shipping: 0,
      tax: 0,
      discount: 0,
      createdAt,
      confirmedAt: new Date(createdAt.getTime() + 60_000),
      cancelledAt: null,
      refunds: [],
    });
  }
  for (let i = 0; i < 9; i++) w.stock.push({ sku: pick(products).skus[i % 2]!, kind: rnd() < 0.5 ? "low" : "out", at: at(0, 7 * weeks) });
  return w;
}

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

/** Hands events to the pipeline's queue handler in batches, as the queue would; returns how many were retried. */
export async function deliver(bodies: unknown[], batchSize = 25): Promise<number> {
  let retried = 0;
  for (let i = 0; i < bodies.length; i += batchSize) {
    const chunk = bodies.slice(i, i + batchSize);
    const batch = createMessageBatch(
      "pipeline-events",
      chunk.map((body, j) => ({ id: `m-${i + j}-${crypto.randomUUID()}`, timestamp: Date.now(), attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, testBindings, ctx);
    retried += (await getQueueResult(batch, ctx)).retryMessages.length;
  }
  return retried;
}

/** A deterministic shuffle (so out-of-order arrival is part of every run), plus a tenth of the events delivered twice. */
export function shuffledWithDuplicates<T>(xs: T[], seed: number): T[] {
  const rnd = prng(seed);
  const out = [...xs, ...xs.filter(() => rnd() < 0.1)];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Lets the queue consumers and alarms a test set off finish (down to their
 * log lines) before the file's environment is torn down, which otherwise
 * reports their late console output as an unhandled error.
 */
export const settle = (ms = 500) => new Promise((r) => setTimeout(r, ms));
