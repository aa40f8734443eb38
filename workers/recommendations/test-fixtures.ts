/**
 * Fixtures for the recommendations tests: catalogue snapshots with content
 * features, stock, view, cart, order and review events, handed to the
 * `recommendations` consumer group through the Worker's queue() handler, and
 * reads of the list endpoints. Categories carry a per-run random word,
 * because the database is shared by every test file.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import type { z } from "zod";
import { ItemAddedToCart } from "../../queues/contracts/events/cart.ts";
import { InventoryUpdated } from "../../queues/contracts/events/inventory.ts";
import { OrderCancelled, OrderConfirmed, OrderCreated, ReturnInitiated } from "../../queues/contracts/events/order.ts";
import { ProductCreated, type ProductSnapshot, ProductViewed } from "../../queues/contracts/events/product.ts";
import { testBindings } from "../../test/helpers/db.ts";
import { api } from "../../test/helpers/http.ts";
import worker from "../index.ts";
import { buildEvent, type EventContract } from "../platform/event-contracts.ts";
import type { Envelope } from "../platform/event-envelope.ts";
import { newId } from "../platform/ids.ts";
import type { Recommendation } from "./recommenders.ts";

export function randomWord(length = 8): string {
  const letters = "bcdfghjklmnpqrstvwxz";
  return Array.from(crypto.getRandomValues(new Uint8Array(length)), (b) => letters[b % letters.length]).join("");
}

export interface ProductInput {
  name: string;
  category: string;
  brand?: string;
  tags?: string[];
  price?: number;
  status?: ProductSnapshot["status"];
  version?: number;
}

export function product(input: ProductInput): ProductSnapshot {
  const productId = newId("prd");
  const now = new Date().toISOString();
  const leaf = input.category.split("/").at(-1)!;
  return {
    productId,
    slug: `${input.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${productId.slice(-6).toLowerCase()}`,
    name: input.name,
    description: "",
    status: input.status ?? "active",
    brand: input.brand ? { id: `brd_${input.brand}`, slug: input.brand, name: input.brand } : null,
    category: { id: `cat_${leaf}`, slug: leaf, name: leaf, path: input.category },
    tags: input.tags ?? [],
    imageUrl: null,
    variants: [
      {
        variantId: `var_${productId}`,
        sku: `${productId}-V0`,
        options: {},
        priceMinor: input.price ?? 2000,
        compareAtMinor: null,
        currency: "USD",
      },
    ],
    version: input.version ?? 1,
    createdAt: now,
    updatedAt: now,
  };
}

const event = <S extends z.ZodType>(
  contract: EventContract<string, S>,
  subjectId: string,
  payload: z.input<S>,
  userId?: string,
): Envelope => {
  const e = buildEvent(contract, { subjectId, payload, source: "test", correlationId: subjectId }) as Envelope;
  return userId ? { ...e, actor: { type: "user", id: userId } } : e;
};

export const created = (p: ProductSnapshot) => event(ProductCreated, p.productId, { product: p });
export const stock = (p: ProductSnapshot, available: number, version = 1) =>
  event(InventoryUpdated, p.variants[0]!.sku, {
    sku: p.variants[0]!.sku,
    onHand: available,
    reserved: 0,
    available,
    lowStockThreshold: 1,
    reorderPoint: 1,
    reorderQuantity: 1,
    status: available > 0 ? "in_stock" : "out_of_stock",
    version,
    ledgerSeq: version,
    cause: "adjustment",
    updatedAt: new Date().toISOString(),
  });
export const viewed = (p: ProductSnapshot, userId: string | null) =>
  event(ProductViewed, p.productId, { productRef: p.slug, userId, sampleRate: 1 });
export const addedToCart = (p: ProductSnapshot, userId: string) =>
  event(
    ItemAddedToCart,
    "crt_1",
    { cartId: "crt_1", sku: p.variants[0]!.sku, quantity: 1, lineQuantity: 1, unitPriceMinor: 2000, currency: "USD", via: "add" },
    userId,
  );

/** The events of one order: created, confirmed, and (on demand) cancelled or returned. */
export function order(userId: string, products: readonly ProductSnapshot[]) {
  const orderId = newId("ord");
  const orderNumber = `ORD-${orderId.slice(-8)}`;
  const money = { totalMinor: 2000 * products.length, currency: "USD" };
  return {
    orderId,
    created: event(OrderCreated, orderId, {
      orderId,
      orderNumber,
      userId,
      lines: products.map((p) => ({ sku: p.variants[0]!.sku, productId: p.productId, name: p.name, quantity: 1, unitPriceMinor: 2000 })),
      subtotalMinor: money.totalMinor,
      discountMinor: 0,
      shippingMinor: 0,
      taxMinor: 0,
      ...money,
      shippingCountry: "US",
    }),
    confirmed: event(OrderConfirmed, orderId, { orderId, orderNumber, userId, ...money }),
    cancelled: event(OrderCancelled, orderId, {
      orderId,
      orderNumber,
      userId,
      reason: "customer_request",
      refundMinor: 0,
      currency: "USD",
    }),
    returned: event(ReturnInitiated, orderId, {
      returnId: newId("ret"),
      orderId,
      orderNumber,
      userId,
      reason: "other",
      itemCount: products.length,
      returnBy: "2030-01-01",
    }),
  };
}

/** Hands events to the recommendations consumer group as one queue batch; returns what was acknowledged. */
export async function deliver(events: Envelope[]): Promise<{ acked: number; retried: number }> {
  const batch = createMessageBatch(
    "recommendations-events",
    events.map((body, i) => ({ id: `msg-${i}-${crypto.randomUUID()}`, timestamp: Date.now(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, testBindings, ctx);
  const result = await getQueueResult(batch, ctx);
  return { acked: result.explicitAcks.length, retried: result.retryMessages.length };
}

/** A catalogue of in-stock products, delivered. */
export async function catalogue(inputs: readonly ProductInput[]): Promise<ProductSnapshot[]> {
  const products = inputs.map(product);
  await deliver(products.flatMap((p) => [created(p), stock(p, 10)]));
  return products;
}

export type RecommendationBody = Recommendation & { experiment: { id: string; arm: string; exposureId: string } | null };

export async function list(path: string, token: string | null = null): Promise<RecommendationBody> {
  const res = await api(`/api/recommendations${path}`, { token });
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as RecommendationBody;
}

export const ids = (r: { items: { productId: string }[] }) => r.items.map((i) => i.productId);
